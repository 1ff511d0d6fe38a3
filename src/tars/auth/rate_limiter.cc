#include "tars/auth/rate_limiter.h"

#include <algorithm>

namespace tars::auth {
namespace {

// Bucket levels are integers: a token is 60'000'000 units, and a class allowing N requests a
// minute refills N units per microsecond. No rounding, whatever N.
constexpr std::int64_t kUnitsPerToken = 60'000'000;
constexpr std::int64_t kMicrosPerSecond = 1'000'000;
// Idle buckets inspected (from the least recently used end) per check.
constexpr int kIdleChecksPerCall = 2;

std::int64_t capacity(std::int64_t per_minute) { return per_minute * kUnitsPerToken; }

// Whole seconds until a bucket refilling at `per_minute` gains `units`, rounded up.
int seconds_to_gain(std::int64_t units, std::int64_t per_minute) {
  const std::int64_t micros = (units + per_minute - 1) / per_minute;
  return static_cast<int>((micros + kMicrosPerSecond - 1) / kMicrosPerSecond);
}

std::string_view class_of(std::string_view key) { return key.substr(0, key.find('\0')); }

}  // namespace

RateLimiter::RateLimiter(std::vector<RateLimit> limits, Clock clock, std::size_t max_buckets)
    : limits_(std::move(limits)),
      clock_(std::move(clock)),
      max_buckets_(std::max<std::size_t>(1, max_buckets)) {}

RateDecision RateLimiter::check(std::string_view route_class, std::string_view client) {
  const std::int64_t per_minute = limit_of(route_class);
  if (per_minute <= 0) return {};
  std::string key;
  key.reserve(route_class.size() + 1 + client.size());
  key.append(route_class).append(1, '\0').append(client);
  const core::Timestamp now = clock_();

  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
  } else {
    if (lru_.size() >= max_buckets_) {
      index_.erase(lru_.back().key);
      lru_.pop_back();
    }
    lru_.push_front({.key = std::move(key), .level = capacity(per_minute), .updated_at = now});
    index_.emplace(lru_.front().key, lru_.begin());
  }
  Bucket& bucket = lru_.front();
  refill(bucket, per_minute, now);

  RateDecision decision{.allowed = bucket.level >= kUnitsPerToken,
                        .limit = static_cast<int>(per_minute)};
  if (decision.allowed) {
    bucket.level -= kUnitsPerToken;
  } else {
    decision.retry_after_seconds = seconds_to_gain(kUnitsPerToken - bucket.level, per_minute);
  }
  decision.remaining = static_cast<int>(bucket.level / kUnitsPerToken);
  decision.reset_after_seconds = seconds_to_gain(capacity(per_minute) - bucket.level, per_minute);

  // A bucket that has refilled completely is as good as none: forget a few of the idlest.
  for (int i = 0; i < kIdleChecksPerCall && lru_.size() > 1; ++i) {
    Bucket& idle = lru_.back();
    const std::int64_t idle_limit = limit_of(class_of(idle.key));
    refill(idle, idle_limit, now);
    if (idle.level < capacity(idle_limit)) break;
    index_.erase(idle.key);
    lru_.pop_back();
  }
  return decision;
}

std::size_t RateLimiter::bucket_count() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

void RateLimiter::refill(Bucket& bucket, std::int64_t per_minute, core::Timestamp now) {
  const std::int64_t full = capacity(per_minute);
  // Capped before multiplying, so a long idle time cannot overflow.
  const std::int64_t elapsed =
      std::clamp<std::int64_t>((now - bucket.updated_at).count(), 0, kUnitsPerToken);
  bucket.level = std::min(full, bucket.level + elapsed * per_minute);
  bucket.updated_at = std::max(bucket.updated_at, now);
}

int RateLimiter::limit_of(std::string_view route_class) const {
  for (const RateLimit& limit : limits_) {
    if (limit.route_class == route_class) return limit.per_minute;
  }
  return 0;
}

}  // namespace tars::auth
