#include "tars/obs/gauge.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace tars::obs {
namespace {

TEST(GaugeTest, SetsIncrementsAndDecrements) {
  Gauge gauge;
  EXPECT_EQ(gauge.value(), 0.0);
  gauge.set(10.0);
  gauge.inc();
  gauge.inc(-3.0);
  gauge.dec(0.5);
  gauge.dec();
  EXPECT_EQ(gauge.value(), 6.5);
  gauge.set(-2.0);
  EXPECT_EQ(gauge.value(), -2.0);
}

TEST(GaugeTest, ConcurrentChangesOfAKeptHandleAreAllApplied) {
  constexpr int kThreads = 8;
  constexpr int kSteps = 100000;
  Gauge gauge;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    // Half the threads open two connections and close one per step, the other half only open.
    threads.emplace_back([&gauge, t] {
      for (int i = 0; i < kSteps; ++i) {
        gauge.inc(2.0);
        if (t % 2 == 0) gauge.dec();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(gauge.value(), 1.5 * kThreads * kSteps);
}

}  // namespace
}  // namespace tars::obs
