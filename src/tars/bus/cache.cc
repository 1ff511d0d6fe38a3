#include "tars/bus/cache.h"

namespace tars::bus {

std::optional<std::string> TtlLruCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  if (it->second->expires <= Clock::now()) {
    entries_.erase(it->second);
    index_.erase(it);
    return std::nullopt;
  }
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->value;
}

void TtlLruCache::put(const std::string& key, std::string value, std::chrono::milliseconds ttl,
                      const std::string& tag) {
  if (capacity_ == 0 || ttl.count() <= 0) return;
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    entries_.erase(it->second);
    index_.erase(it);
  }
  entries_.push_front({key, std::move(value), tag, Clock::now() + ttl});
  index_[key] = entries_.begin();
  if (entries_.size() > capacity_) {
    index_.erase(entries_.back().key);
    entries_.pop_back();
  }
}

void TtlLruCache::invalidate(const std::string& tag) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->tag == tag) {
      index_.erase(it->key);
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

std::size_t TtlLruCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace tars::bus
