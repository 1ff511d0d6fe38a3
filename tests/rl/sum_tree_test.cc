#include "tars/rl/sum_tree.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "tars/core/rng.h"

namespace tars::rl {
namespace {

// Pearson's chi-square statistic of `counts` against probabilities proportional to `weights`
// (categories with weight 0 must have count 0 and are skipped).
double chi_square(const std::vector<int>& counts, const std::vector<double>& weights) {
  double total_weight = 0.0;
  int total_count = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    total_weight += weights[i];
    total_count += counts[i];
  }
  double statistic = 0.0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (weights[i] == 0.0) continue;
    const double expected = total_count * weights[i] / total_weight;
    statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
  }
  return statistic;
}

TEST(SumTreeTest, TotalMinAndLeavesFollowUpdates) {
  SumTree tree(5);  // not a power of two: 8 leaves inside, 3 never used
  EXPECT_EQ(tree.capacity(), 5u);
  EXPECT_EQ(tree.total(), 0.0);
  EXPECT_EQ(tree.min(), std::numeric_limits<double>::infinity());
  const std::vector<double> priorities = {1.0, 2.0, 0.5, 3.0, 4.0};
  for (std::size_t i = 0; i < priorities.size(); ++i) tree.set(i, priorities[i]);
  EXPECT_DOUBLE_EQ(tree.total(), 10.5);
  EXPECT_DOUBLE_EQ(tree.min(), 0.5);
  for (std::size_t i = 0; i < priorities.size(); ++i) EXPECT_EQ(tree.get(i), priorities[i]);
  tree.set(2, 6.0);  // the minimum moves and the total follows
  EXPECT_DOUBLE_EQ(tree.total(), 16.0);
  EXPECT_DOUBLE_EQ(tree.min(), 1.0);
  tree.set(4, 0.25);
  EXPECT_DOUBLE_EQ(tree.total(), 12.25);
  EXPECT_DOUBLE_EQ(tree.min(), 0.25);
}

TEST(SumTreeTest, OnlySetLeavesCountForTheMinimum) {
  SumTree tree(6);
  tree.set(0, 3.0);
  tree.set(1, 2.0);
  EXPECT_DOUBLE_EQ(tree.min(), 2.0);  // leaves 2..5 were never set
  EXPECT_DOUBLE_EQ(tree.total(), 5.0);
}

TEST(SumTreeTest, PrefixSearchFindsTheIntervalHoldingTheMass) {
  SumTree tree(5);
  // Intervals: 0 -> [0, 1), 1 -> [1, 3), 2 -> empty, 3 -> [3, 6), 4 -> [6, 10).
  const std::vector<double> priorities = {1.0, 2.0, 0.0, 3.0, 4.0};
  for (std::size_t i = 0; i < priorities.size(); ++i) tree.set(i, priorities[i]);
  EXPECT_EQ(tree.find_prefix_sum(0.0), 0u);
  EXPECT_EQ(tree.find_prefix_sum(0.999), 0u);
  EXPECT_EQ(tree.find_prefix_sum(1.0), 1u);
  EXPECT_EQ(tree.find_prefix_sum(2.999), 1u);
  EXPECT_EQ(tree.find_prefix_sum(3.0), 3u);  // not the empty leaf 2
  EXPECT_EQ(tree.find_prefix_sum(5.999), 3u);
  EXPECT_EQ(tree.find_prefix_sum(6.0), 4u);
  EXPECT_EQ(tree.find_prefix_sum(9.999), 4u);
  // Out of range masses are clamped to the first / last non-empty leaf.
  EXPECT_EQ(tree.find_prefix_sum(-1.0), 0u);
  EXPECT_EQ(tree.find_prefix_sum(10.0), 4u);
  EXPECT_EQ(tree.find_prefix_sum(1e9), 4u);
}

TEST(SumTreeTest, PrefixSearchFollowsUpdates) {
  SumTree tree(4);
  for (std::size_t i = 0; i < 4; ++i) tree.set(i, 1.0);
  EXPECT_EQ(tree.find_prefix_sum(1.5), 1u);
  tree.set(1, 0.0);  // leaf 1 is now empty: 1.5 falls in leaf 2's [1, 2)
  EXPECT_EQ(tree.find_prefix_sum(1.5), 2u);
  tree.set(0, 5.0);  // [0, 5) is leaf 0
  EXPECT_EQ(tree.find_prefix_sum(1.5), 0u);
  EXPECT_EQ(tree.find_prefix_sum(5.5), 2u);
  EXPECT_EQ(tree.find_prefix_sum(6.5), 3u);
}

TEST(SumTreeTest, NeverReturnsAnEmptyTrailingLeaf) {
  SumTree tree(7);
  tree.set(0, 1.0);
  tree.set(1, 1e-300);
  // A mass at or just past the total must not walk into leaves 2..7, which hold nothing.
  EXPECT_EQ(tree.find_prefix_sum(tree.total()), 1u);
  EXPECT_EQ(tree.find_prefix_sum(std::nextafter(tree.total(), 2.0)), 1u);
}

TEST(SumTreeTest, CapacityOneIsASingleLeaf) {
  SumTree tree(1);
  tree.set(0, 2.5);
  EXPECT_EQ(tree.total(), 2.5);
  EXPECT_EQ(tree.min(), 2.5);
  EXPECT_EQ(tree.find_prefix_sum(1.0), 0u);
}

TEST(SumTreeTest, RejectsBadArguments) {
  EXPECT_THROW(SumTree(0), std::invalid_argument);
  EXPECT_THROW(SumTree(SIZE_MAX), std::length_error);
  EXPECT_EQ(SumTree::storage_bytes(SIZE_MAX), UINT64_MAX);
  EXPECT_EQ(SumTree::storage_bytes(5), 32 * sizeof(double));  // 8 leaves, 2 arrays of 16
  SumTree tree(3);
  EXPECT_THROW(tree.set(3, 1.0), std::invalid_argument);
  EXPECT_THROW(tree.set(0, -1.0), std::invalid_argument);
  EXPECT_THROW(tree.set(0, std::nan("")), std::invalid_argument);
  EXPECT_THROW(tree.set(0, std::numeric_limits<double>::infinity()), std::invalid_argument);
}

TEST(SumTreeTest, UniformMassesSampleLeavesInProportionToPriority) {
  const std::vector<double> priorities = {1.0, 2.0, 3.0, 4.0, 0.0, 10.0};
  SumTree tree(priorities.size());
  for (std::size_t i = 0; i < priorities.size(); ++i) tree.set(i, priorities[i]);
  core::Generator rng(12345);
  constexpr int kDraws = 200000;
  std::vector<int> counts(priorities.size(), 0);
  for (int k = 0; k < kDraws; ++k) ++counts[tree.find_prefix_sum(rng.random() * tree.total())];
  EXPECT_EQ(counts[4], 0);  // priority 0 is never drawn
  // 5 non-empty categories, 4 degrees of freedom: P(chi2 > 18.47) = 0.001.
  EXPECT_LT(chi_square(counts, priorities), 18.47);
  // The statistic has the power to see wrong proportions: the same counts against uniform
  // probabilities, or against a mild distortion of the priorities, are far above the threshold.
  EXPECT_GT(chi_square(counts, {1.0, 1.0, 1.0, 1.0, 0.0, 1.0}), 1000.0);
  EXPECT_GT(chi_square(counts, {1.0, 2.0, 3.0, 4.4, 0.0, 10.0}), 18.47);
}

}  // namespace
}  // namespace tars::rl
