#include "tars/obs/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace tars::obs {
namespace {

using Counts = std::vector<std::uint64_t>;

TEST(HistogramTest, BucketsAreCumulativeAndUpperBoundsInclusive) {
  const std::vector<double> bounds = {1.0, 2.0, 5.0};
  Histogram histogram(bounds);
  for (const double value : {0.5, 1.0, 1.5, 2.0, 5.0, 7.0}) histogram.observe(value);
  const Histogram::Snapshot snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.cumulative_counts, (Counts{2, 4, 5, 6}));
  EXPECT_EQ(snapshot.sum, 17.0);
}

TEST(HistogramTest, StartsEmpty) {
  const std::vector<double> bounds = {0.1};
  const Histogram histogram(bounds);
  EXPECT_EQ(histogram.snapshot().cumulative_counts, (Counts{0, 0}));
  EXPECT_EQ(histogram.snapshot().sum, 0.0);
  EXPECT_EQ(histogram.upper_bounds().size(), 1U);
}

TEST(HistogramTest, NanAndInfinityLandInTheInfBucket) {
  const std::vector<double> bounds = {1.0};
  Histogram histogram(bounds);
  histogram.observe(std::numeric_limits<double>::quiet_NaN());
  histogram.observe(std::numeric_limits<double>::infinity());
  histogram.observe(-std::numeric_limits<double>::infinity());
  const Histogram::Snapshot snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.cumulative_counts, (Counts{1, 3}));
  EXPECT_TRUE(std::isnan(snapshot.sum));
}

TEST(HistogramTest, WithoutBoundsCountsEverythingInInf) {
  const std::vector<double> no_bounds;
  Histogram histogram(no_bounds);
  histogram.observe(3.0);
  histogram.observe(-1.0);
  EXPECT_EQ(histogram.snapshot().cumulative_counts, (Counts{2}));
  EXPECT_EQ(histogram.snapshot().sum, 2.0);
}

TEST(HistogramTest, ConcurrentObservationsOfAKeptHandleAreAllCounted) {
  constexpr int kThreads = 8;
  constexpr int kObservations = 50000;
  const std::vector<double> bounds = {0.25, 0.5, 1.0};
  Histogram histogram(bounds);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&histogram] {
      for (int i = 0; i < kObservations; ++i) histogram.observe(0.25 * (i % 4 + 1));
    });
  }
  for (std::thread& thread : threads) thread.join();
  constexpr std::uint64_t kQuarter = kThreads * kObservations / 4;
  const Histogram::Snapshot snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.cumulative_counts,
            (Counts{kQuarter, 2 * kQuarter, 4 * kQuarter, 4 * kQuarter}));
  // Multiples of 0.25 well below 2^53: the sum is exact.
  EXPECT_EQ(snapshot.sum, kQuarter * (0.25 + 0.5 + 0.75 + 1.0));
}

}  // namespace
}  // namespace tars::obs
