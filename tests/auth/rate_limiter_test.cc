// Token buckets: exact counts, even refill on the injected clock, separate buckets per client and
// class, headers' numbers, bounded memory, and thread safety.
#include "tars/auth/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "auth/auth_test_support.h"

namespace tars::auth {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class RateLimiterTest : public ::testing::Test {
 protected:
  test::ManualClock clock_;
  RateLimiter limiter_{{{"login", 10}, {"api", 600}, {"open", 0}}, clock_.clock()};
};

TEST_F(RateLimiterTest, AllowsExactlyTheLimitThenRefuses) {
  for (int i = 0; i < 10; ++i) {
    const RateDecision decision = limiter_.check("login", "10.0.0.1");
    ASSERT_TRUE(decision.allowed) << i;
    EXPECT_EQ(decision.limit, 10);
    EXPECT_EQ(decision.remaining, 9 - i);
  }
  const RateDecision refused = limiter_.check("login", "10.0.0.1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after_seconds, 6);  // one token every 6 s
  EXPECT_EQ(refused.reset_after_seconds, 60);
}

TEST_F(RateLimiterTest, RefillsOneTokenPerInterval) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(limiter_.check("login", "c").allowed);
  clock_.advance(seconds(6) - milliseconds(1));
  const RateDecision early = limiter_.check("login", "c");
  EXPECT_FALSE(early.allowed);
  EXPECT_EQ(early.retry_after_seconds, 1);  // 1 ms, rounded up
  clock_.advance(milliseconds(1));
  EXPECT_TRUE(limiter_.check("login", "c").allowed);
  EXPECT_FALSE(limiter_.check("login", "c").allowed);

  clock_.advance(seconds(30));  // five tokens
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter_.check("login", "c").allowed) << i;
  EXPECT_FALSE(limiter_.check("login", "c").allowed);

  clock_.advance(seconds(3600));  // capped at a full bucket
  int allowed = 0;
  while (limiter_.check("login", "c").allowed) ++allowed;
  EXPECT_EQ(allowed, 10);
}

TEST_F(RateLimiterTest, ClientsAndClassesHaveTheirOwnBuckets) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(limiter_.check("login", "a").allowed);
  EXPECT_FALSE(limiter_.check("login", "a").allowed);
  EXPECT_TRUE(limiter_.check("login", "b").allowed);
  const RateDecision api = limiter_.check("api", "a");
  EXPECT_TRUE(api.allowed);
  EXPECT_EQ(api.limit, 600);
  EXPECT_EQ(api.remaining, 599);
  EXPECT_EQ(api.reset_after_seconds, 1);  // 0.1 s, rounded up
}

TEST_F(RateLimiterTest, UnlimitedAndUnknownClassesAreAlwaysAllowed) {
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(limiter_.check("open", "a").allowed);
    EXPECT_TRUE(limiter_.check("unknown", "a").allowed);
  }
  EXPECT_EQ(limiter_.check("open", "a").limit, 0);
  EXPECT_EQ(limiter_.bucket_count(), 0u);
}

TEST_F(RateLimiterTest, MemoryIsBounded) {
  RateLimiter small({{"login", 10}}, clock_.clock(), /*max_buckets=*/3);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(small.check("login", "a").allowed);
  EXPECT_FALSE(small.check("login", "a").allowed);
  for (const char* client : {"b", "c", "d"}) EXPECT_TRUE(small.check("login", client).allowed);
  EXPECT_EQ(small.bucket_count(), 3u);
  // "a" was the least recently used, so it was forgotten and starts full again.
  EXPECT_TRUE(small.check("login", "a").allowed);
}

TEST_F(RateLimiterTest, IdleFullBucketsAreDropped) {
  for (int i = 0; i < 100; ++i) limiter_.check("login", "client-" + std::to_string(i));
  EXPECT_EQ(limiter_.bucket_count(), 100u);
  clock_.advance(seconds(60));  // every bucket is full again
  for (int i = 0; i < 60; ++i) limiter_.check("login", "active");
  EXPECT_EQ(limiter_.bucket_count(), 1u);
}

TEST_F(RateLimiterTest, ConcurrentChecksAllowExactlyTheLimit) {
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) allowed += limiter_.check("api", "shared").allowed ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 600);
}

}  // namespace
}  // namespace tars::auth
