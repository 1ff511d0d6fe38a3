// Caches of rendered results (the evaluation list). In-process TTL + LRU now; a Redis
// implementation fills the same interface for several server processes later.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace tars::bus {

class Cache {
 public:
  virtual ~Cache() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  // `tag` groups entries for invalidate(), e.g. the agent an entry is about.
  virtual void put(const std::string& key, std::string value, std::chrono::milliseconds ttl,
                   const std::string& tag) = 0;
  // Drops every entry with this tag.
  virtual void invalidate(const std::string& tag) = 0;
};

// Least recently used entries go first once `capacity` is reached; expired ones on access.
class TtlLruCache final : public Cache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TtlLruCache(std::size_t capacity) : capacity_(capacity) {}

  std::optional<std::string> get(const std::string& key) override;
  void put(const std::string& key, std::string value, std::chrono::milliseconds ttl,
           const std::string& tag) override;
  void invalidate(const std::string& tag) override;
  std::size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::string value;
    std::string tag;
    Clock::time_point expires;
  };

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace tars::bus
