// The global reward: weighted, confidence-scaled z-scores, conflict penalty, cooperation bonus,
// over a sliding or a frozen window.
#include "tars/marl/global_reward.h"

#include <gtest/gtest.h>

namespace tars::marl {
namespace {

constexpr AgentValues kCertain = {1.0, 1.0, 1.0, 1.0};

TEST(GlobalReward, FrozenStatisticsGiveTheDocumentedFormula) {
  GlobalReward reward;
  reward.freeze({.mean = {0.0, 0.0, 0.0, 0.0}, .stddev = {1.0, 2.0, 1.0, 0.5}});
  // z = (1, 0.5, -1, 2); G = 0.30·1 + 0.25·0.5·0.5 + 0.25·(−1) + 0.20·2 − 0.1·1
  const double g = reward.add({1.0, 1.0, -1.0, 1.0}, {1.0, 0.5, 1.0, 1.0}, 1);
  EXPECT_NEAR(g, 0.30 + 0.0625 - 0.25 + 0.40 - 0.1, 1e-5);
}

TEST(GlobalReward, CooperationBonusNeedsEveryoneAtTheirMeanAndNoConflict) {
  GlobalReward reward;
  reward.freeze({.mean = {0.0, 0.0, 0.0, 0.0}, .stddev = {1.0, 1.0, 1.0, 1.0}});
  const double all_at_mean = reward.add({0.0, 0.0, 0.0, 0.0}, kCertain, 0);
  EXPECT_NEAR(all_at_mean, 0.05, 1e-12);
  EXPECT_NEAR(reward.add({0.0, 0.0, 0.0, 0.0}, kCertain, 1), -0.1, 1e-12);
  EXPECT_NEAR(reward.add({0.0, 0.0, 0.0, -1.0}, kCertain, 0), -0.2, 1e-5);
}

TEST(GlobalReward, SlidingWindowForgetsOldRewards) {
  GlobalReward reward({.window = 4});
  EXPECT_EQ(reward.add({5.0, 5.0, 5.0, 5.0}, kCertain, 0), 0.0);  // nothing to compare yet
  for (int i = 0; i < 4; ++i) reward.add({1.0, 1.0, 1.0, 1.0}, kCertain, 0);
  const RewardStatistics stats = reward.statistics();
  EXPECT_DOUBLE_EQ(stats.mean[0], 1.0);  // the 5 has left the window
  EXPECT_DOUBLE_EQ(stats.stddev[0], 0.0);
  reward.add({3.0, 1.0, 1.0, 1.0}, kCertain, 0);
  EXPECT_DOUBLE_EQ(reward.statistics().mean[0], 1.5);
  EXPECT_FALSE(reward.frozen());
}

TEST(GlobalReward, NoZScoresUntilTheWindowHoldsEnoughSteps) {
  GlobalReward reward;  // window 1 000, min_window 100
  for (int i = 0; i < 99; ++i) reward.add({1.0, 1.0, 1.0, 1.0 + 1e-4 * i}, kCertain, 0);
  // Near-constant rewards would give z-scores in the thousands: not yet.
  EXPECT_EQ(reward.add({2.0, 2.0, 2.0, 2.0}, kCertain, 0), 0.0);
  EXPECT_GT(reward.add({2.0, 2.0, 2.0, 2.0}, kCertain, 0), 1.0);
}

TEST(GlobalReward, ImprovementOverTheWindowIsPositive) {
  GlobalReward reward({.window = 100});
  for (int i = 0; i < 100; ++i) reward.add({i % 2 * 1.0, 0.0, 0.0, 0.0}, kCertain, 0);
  EXPECT_GT(reward.add({2.0, 0.0, 0.0, 0.0}, kCertain, 0), 0.5);
  EXPECT_LT(reward.add({-1.0, 0.0, 0.0, 0.0}, kCertain, 0), -0.5);
}

}  // namespace
}  // namespace tars::marl
