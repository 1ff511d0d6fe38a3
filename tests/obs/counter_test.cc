#include "tars/obs/counter.h"

#include <gtest/gtest.h>

#include <limits>
#include <thread>
#include <vector>

namespace tars::obs {
namespace {

TEST(CounterTest, StartsAtZeroAndAdds) {
  Counter counter;
  EXPECT_EQ(counter.value(), 0.0);
  counter.inc();
  counter.inc(2.5);
  EXPECT_EQ(counter.value(), 3.5);
}

TEST(CounterTest, IgnoresNegativeAndNanAmounts) {
  Counter counter;
  counter.inc(4.0);
  counter.inc(-1.0);
  counter.inc(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(counter.value(), 4.0);
}

TEST(CounterTest, RaiseToOnlyRaises) {
  Counter counter;
  counter.raise_to(10.0);
  EXPECT_EQ(counter.value(), 10.0);
  counter.raise_to(7.0);
  EXPECT_EQ(counter.value(), 10.0);
  counter.raise_to(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(counter.value(), 10.0);
}

TEST(CounterTest, ConcurrentIncrementsOfAKeptHandleAreAllCounted) {
  constexpr int kThreads = 8;
  constexpr int kIncrements = 100000;
  Counter counter;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&counter] {
      for (int i = 0; i < kIncrements; ++i) {
        counter.inc();
        counter.inc(0.5);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // Every partial sum is a multiple of 0.5 below 2^53, so the total is exact.
  EXPECT_EQ(counter.value(), 1.5 * kThreads * kIncrements);
}

TEST(CounterTest, ConcurrentRaisesKeepTheHighest) {
  constexpr int kThreads = 4;
  constexpr int kSteps = 50000;
  Counter counter;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&counter, t] {
      for (int i = 0; i < kSteps; ++i) counter.raise_to(i * kThreads + t);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counter.value(), kSteps * kThreads - 1);
}

}  // namespace
}  // namespace tars::obs
