// Metrics of an evaluation, each against numbers worked out by hand.
#include "tars/eval/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace tars::eval {
namespace {

std::vector<store::EpisodeRecord> episodes_with(const std::vector<double>& returns,
                                                const std::vector<bool>& successes,
                                                const std::vector<std::int64_t>& steps) {
  std::vector<store::EpisodeRecord> episodes;
  for (std::size_t i = 0; i < returns.size(); ++i) {
    episodes.push_back({.episode_num = static_cast<int>(i),
                        .seed = i,
                        .total_reward = returns[i],
                        .steps = steps[i],
                        .success = successes[i]});
  }
  return episodes;
}

// start, start + step, ... (n values).
std::vector<double> line(int n, double start, double step) {
  std::vector<double> values(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) values[static_cast<std::size_t>(i)] = start + step * i;
  return values;
}

ActionHistogram histogram(const env::Space& space) {
  auto made = ActionHistogram::for_space(space);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return made.ok() ? std::move(*made) : ActionHistogram{};
}

TEST(ShannonEntropyTest, InNats) {
  EXPECT_NEAR(shannon_entropy(std::vector<std::int64_t>{5, 5, 5, 5}), std::log(4.0), 1e-12);
  // -(0.25 ln 0.25 + 0.75 ln 0.75)
  EXPECT_NEAR(shannon_entropy(std::vector<std::int64_t>{1, 3}), 0.5623351446188083, 1e-12);
  EXPECT_EQ(shannon_entropy(std::vector<std::int64_t>{0, 7, 0}), 0.0);
  EXPECT_EQ(shannon_entropy(std::vector<std::int64_t>{0, 0}), 0.0);
  EXPECT_EQ(shannon_entropy(std::vector<std::int64_t>{}), 0.0);
}

TEST(ActionHistogramTest, CountsDiscreteActions) {
  ActionHistogram actions = histogram(env::Space::discrete(3));
  for (std::int64_t a : {0, 2, 2, 2}) actions.add(a);
  ASSERT_EQ(actions.counts().size(), 1u);
  EXPECT_EQ(actions.counts()[0], (std::vector<std::int64_t>{1, 0, 3}));
  EXPECT_EQ(actions.total(), 4);
  // Half the actions are 2: -(0.25 ln 0.25 + 0.75 ln 0.75) as above.
  EXPECT_NEAR(action_entropy(actions), 0.5623351446188083, 1e-12);
}

TEST(ActionHistogramTest, BinsBoxActionsInTenEqualBinsPerDimension) {
  ActionHistogram actions = histogram(env::Space::box({-1.0, 0.0}, {1.0, 10.0}));
  // Dimension 0 bins are 0.2 wide from -1, dimension 1 bins 1.0 wide from 0.
  const std::vector<std::vector<float>> samples = {
      {-1.0f, 0.0f},   // both lowest bins
      {1.0f, 10.0f},   // `high` falls in the top bin
      {0.05f, 4.5f},   // bins 5 and 4
      {-0.85f, 9.9f},  // bins 0 and 9
      {-7.0f, 42.0f},  // outside: the nearest end bins
  };
  for (const auto& sample : samples) actions.add(sample);
  ASSERT_EQ(actions.counts().size(), 2u);
  EXPECT_EQ(actions.counts()[0], (std::vector<std::int64_t>{3, 0, 0, 0, 0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(actions.counts()[1], (std::vector<std::int64_t>{1, 0, 0, 0, 1, 0, 0, 0, 0, 3}));
  EXPECT_EQ(actions.total(), 5);
}

TEST(ActionHistogramTest, BoxEntropyIsTheMeanOverDimensions) {
  ActionHistogram actions = histogram(env::Space::box({-1.0, -1.0}, {1.0, 1.0}));
  // Dimension 0 always in one bin (entropy 0), dimension 1 split evenly over two (ln 2).
  actions.add(std::vector<float>{0.5f, -0.9f});
  actions.add(std::vector<float>{0.5f, 0.9f});
  EXPECT_NEAR(action_entropy(actions), std::log(2.0) / 2, 1e-12);
}

TEST(ActionHistogramTest, RefusesInfiniteBoundsAndEmptyHasZeroEntropy) {
  const double inf = std::numeric_limits<double>::infinity();
  auto unbounded = ActionHistogram::for_space(env::Space::box({-1.0, -inf}, {1.0, inf}));
  ASSERT_FALSE(unbounded.ok());
  EXPECT_NE(unbounded.status().message().find("dimension 1"), std::string::npos)
      << unbounded.status().message();
  EXPECT_EQ(action_entropy(histogram(env::Space::discrete(4))), 0.0);
  EXPECT_EQ(action_entropy(ActionHistogram{}), 0.0);
}

TEST(LossTrendTest, SlopeOfTheLastTenLossesByLeastSquares) {
  const std::vector<double> rising = line(10, 2.0, 0.1);
  EXPECT_NEAR(loss_slope(rising), 0.1, 1e-12);
  EXPECT_EQ(loss_trend(rising), store::LossTrend::kIncreasing);

  const std::vector<double> falling = line(10, -1.0, -0.06);  // negative losses too
  EXPECT_NEAR(loss_slope(falling), -0.06, 1e-12);
  EXPECT_EQ(loss_trend(falling), store::LossTrend::kDecreasing);

  // Noise around a flat line, 1, 1.04, 1, 1.04, ...: covariance 0.1 over variance 82.5.
  const std::vector<double> flat = {1.0, 1.04, 1.0, 1.04, 1.0, 1.04, 1.0, 1.04, 1.0, 1.04};
  EXPECT_NEAR(loss_slope(flat), 0.1 / 82.5, 1e-12);
  EXPECT_EQ(loss_trend(flat), store::LossTrend::kStable);
}

TEST(LossTrendTest, OnlyTheLastTenCount) {
  // A steep climb followed by ten equal losses: stable.
  std::vector<double> losses = line(10, 0.0, 10.0);
  losses.resize(20, 5.0);
  EXPECT_EQ(loss_slope(losses), 0.0);
  EXPECT_EQ(loss_trend(losses), store::LossTrend::kStable);
}

TEST(LossTrendTest, NoneWithoutLossesAndStableWithOne) {
  EXPECT_EQ(loss_trend({}), store::LossTrend::kNone);
  EXPECT_EQ(loss_slope({}), 0.0);
  EXPECT_EQ(loss_trend(std::vector<double>{3.0}), store::LossTrend::kStable);
}

TEST(ComputeMetricsTest, PositiveReturns) {
  const auto episodes =
      episodes_with({1.0, 2.0, 3.0, 4.0}, {false, false, true, true}, {10, 20, 30, 40});
  const std::vector<double> losses = {0.5, 1.5};
  const store::EvaluationMetrics m =
      compute_metrics(episodes, histogram(env::Space::discrete(2)), losses);
  EXPECT_DOUBLE_EQ(m.mean_reward, 2.5);
  EXPECT_DOUBLE_EQ(m.reward_variance, 1.25);  // (2.25 + 0.25 + 0.25 + 2.25) / 4
  EXPECT_DOUBLE_EQ(m.std_reward, std::sqrt(1.25));
  EXPECT_EQ(m.min_reward, 1.0);
  EXPECT_EQ(m.max_reward, 4.0);
  EXPECT_DOUBLE_EQ(m.success_rate, 0.5);
  EXPECT_DOUBLE_EQ(m.mean_steps, 25.0);
  ASSERT_TRUE(m.mean_loss.has_value());
  EXPECT_DOUBLE_EQ(*m.mean_loss, 1.0);
  EXPECT_EQ(m.loss_trend, store::LossTrend::kIncreasing);  // slope 1
}

TEST(ComputeMetricsTest, NegativeReturns) {
  const auto episodes =
      episodes_with({-200.0, -100.0, -300.0}, {true, true, false}, {200, 100, 200});
  const store::EvaluationMetrics m =
      compute_metrics(episodes, histogram(env::Space::discrete(2)), {});
  EXPECT_DOUBLE_EQ(m.mean_reward, -200.0);
  EXPECT_NEAR(m.reward_variance, 20000.0 / 3.0, 1e-9);
  EXPECT_NEAR(m.std_reward, std::sqrt(20000.0 / 3.0), 1e-9);
  EXPECT_EQ(m.min_reward, -300.0);
  EXPECT_EQ(m.max_reward, -100.0);
  EXPECT_NEAR(m.success_rate, 2.0 / 3.0, 1e-15);
  EXPECT_FALSE(m.mean_loss.has_value());
  EXPECT_EQ(m.loss_trend, store::LossTrend::kNone);
}

TEST(ComputeMetricsTest, ZeroEpisodesGiveZerosNotNaN) {
  const store::EvaluationMetrics m = compute_metrics({}, ActionHistogram{}, {});
  EXPECT_EQ(m, store::EvaluationMetrics{});
  EXPECT_FALSE(std::isnan(m.mean_reward));
  EXPECT_FALSE(std::isnan(m.std_reward));
}

TEST(ComputeMetricsTest, SingleEpisodeHasZeroSpread) {
  const auto episodes = episodes_with({-7.5}, {false}, {3});
  const store::EvaluationMetrics m =
      compute_metrics(episodes, histogram(env::Space::discrete(2)), {});
  EXPECT_EQ(m.mean_reward, -7.5);
  EXPECT_EQ(m.min_reward, -7.5);
  EXPECT_EQ(m.max_reward, -7.5);
  EXPECT_EQ(m.reward_variance, 0.0);
  EXPECT_EQ(m.std_reward, 0.0);
}

}  // namespace
}  // namespace tars::eval
