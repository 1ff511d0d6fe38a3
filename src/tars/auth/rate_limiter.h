// Token-bucket rate limits per (route class, client), independent of HTTP: the server turns a
// decision into 429, Retry-After and X-RateLimit-Limit / -Remaining / -Reset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tars/auth/clock.h"

namespace tars::auth {

// Requests a client may make per minute on one class of routes; a full bucket allows a burst of
// that many, and it refills evenly over the minute.
struct RateLimit {
  std::string route_class = {};  // e.g. "login", "api"
  int per_minute = 0;            // 0: not limited
};

struct RateDecision {
  bool allowed = true;
  int limit = 0;                // X-RateLimit-Limit (per minute); 0 when the class is not limited
  int remaining = 0;            // X-RateLimit-Remaining: requests left right now
  int reset_after_seconds = 0;  // X-RateLimit-Reset: until the bucket is full again
  int retry_after_seconds = 0;  // Retry-After when refused: until the next request is allowed
};

class RateLimiter {
 public:
  // At most `max_buckets` (route class, client) pairs are tracked; beyond that the least
  // recently used is forgotten (and its client starts with a full bucket).
  explicit RateLimiter(std::vector<RateLimit> limits, Clock clock = system_clock(),
                       std::size_t max_buckets = 100'000);

  // Takes one request from the bucket of (route_class, client), e.g. the client's IP address,
  // or an API key's prefix. A class without a limit is always allowed. Thread-safe.
  RateDecision check(std::string_view route_class, std::string_view client);
  // Buckets held now (idle full buckets are dropped as others are used).
  std::size_t bucket_count() const;

 private:
  struct Bucket {
    std::string key;               // route class, '\0', client
    std::int64_t level = 0;        // tokens, in units of 1 / kUnitsPerToken
    core::Timestamp updated_at{};  // when `level` was computed
  };
  using Lru = std::list<Bucket>;  // most recently used first

  // Refills `bucket` for the time passed since it was updated.
  static void refill(Bucket& bucket, std::int64_t per_minute, core::Timestamp now);
  int limit_of(std::string_view route_class) const;

  std::vector<RateLimit> limits_;
  Clock clock_;
  std::size_t max_buckets_;
  mutable std::mutex mutex_;  // guards the buckets
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> index_;  // keys view Bucket::key
};

}  // namespace tars::auth
