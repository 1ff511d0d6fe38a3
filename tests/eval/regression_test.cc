// Every regression rule on its own, with positive and negative rewards and zero baselines, then
// the score, the verdict and the stored baseline comparison.
#include "tars/eval/regression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tars::eval {
namespace {

// Metrics that pass every check against themselves.
store::EvaluationMetrics healthy(double mean = 100.0, double variance = 25.0) {
  store::EvaluationMetrics m;
  m.mean_reward = mean;
  m.reward_variance = variance;
  m.std_reward = std::sqrt(variance);
  m.success_rate = 1.0;
  return m;
}

std::vector<std::string> check_names(const store::RegressionVerdict& verdict) {
  std::vector<std::string> names;
  for (const store::FailedCheck& check : verdict.failed_checks) names.push_back(check.name);
  return names;
}

TEST(RelativeRewardDropTest, RelativeToTheBaselinesMagnitude) {
  EXPECT_DOUBLE_EQ(relative_reward_drop(80.0, 100.0), 0.2);
  EXPECT_DOUBLE_EQ(relative_reward_drop(120.0, 100.0), -0.2);  // an improvement
  // Negative rewards: -200 -> -250 is worse by a quarter of |-200|; -150 is better.
  EXPECT_DOUBLE_EQ(relative_reward_drop(-250.0, -200.0), 0.25);
  EXPECT_DOUBLE_EQ(relative_reward_drop(-150.0, -200.0), -0.25);
  // Zero baseline: relative to kRewardScaleFloor.
  EXPECT_DOUBLE_EQ(relative_reward_drop(-5.0, 0.0), 5.0 / 1e-6);
  EXPECT_DOUBLE_EQ(relative_reward_drop(0.0, 0.0), 0.0);
  EXPECT_LT(relative_reward_drop(3.0, 0.0), 0.0);
}

TEST(VarianceRatioTest, ZeroBaselineVarianceStaysFinite) {
  EXPECT_DOUBLE_EQ(variance_ratio(50.0, 25.0), 2.0);
  EXPECT_EQ(variance_ratio(0.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(variance_ratio(1.0, 0.0), 1e12);
}

TEST(DetectRegressionTest, IdenticalMetricsAreNoRegression) {
  const store::RegressionVerdict verdict = detect_regression(healthy(), healthy());
  EXPECT_EQ(verdict, store::RegressionVerdict{});
  EXPECT_EQ(detect_regression(healthy(-120.0), healthy(-120.0)), store::RegressionVerdict{});
}

TEST(DetectRegressionTest, FailureRateAboveTheThreshold) {
  store::EvaluationMetrics current = healthy();
  current.success_rate = 0.8;
  const store::RegressionVerdict verdict = detect_regression(current, healthy());
  EXPECT_TRUE(verdict.detected);
  ASSERT_EQ(verdict.failed_checks.size(), 1u);
  const store::FailedCheck& check = verdict.failed_checks[0];
  EXPECT_EQ(check.name, "failure_rate");
  EXPECT_NEAR(check.value, 0.2, 1e-12);
  EXPECT_EQ(check.threshold, 0.15);
  EXPECT_EQ(check.message, "failure rate 20.0% is above the limit of 15.0%");
  EXPECT_EQ(verdict.reason, check.message);
  EXPECT_NEAR(verdict.regression_score, 0.3, 1e-12);  // failure term clipped to 1
  EXPECT_FALSE(verdict.should_rollback);              // 0.3 < 0.5

  current.success_rate = 0.9;  // 10% failures: within the limit, two thirds of the term
  const store::RegressionVerdict within = detect_regression(current, healthy());
  EXPECT_FALSE(within.detected);
  EXPECT_NEAR(within.regression_score, 0.3 * 0.1 / 0.15, 1e-12);
}

TEST(DetectRegressionTest, RewardDropWithPositiveRewards) {
  const store::RegressionVerdict verdict = detect_regression(healthy(85.0), healthy(100.0));
  EXPECT_EQ(check_names(verdict), std::vector<std::string>{"reward_drop"});
  EXPECT_NEAR(verdict.failed_checks[0].value, 0.15, 1e-12);
  EXPECT_EQ(verdict.failed_checks[0].threshold, 0.10);
  EXPECT_EQ(verdict.failed_checks[0].message,
            "mean reward 85 is 15.0% below the baseline's 100 (limit 10.0%)");
  EXPECT_NEAR(verdict.regression_score, 0.4, 1e-12);

  const store::RegressionVerdict small = detect_regression(healthy(95.0), healthy(100.0));
  EXPECT_FALSE(small.detected);
  EXPECT_NEAR(small.regression_score, 0.4 * 0.5, 1e-12);  // half the threshold
  EXPECT_FALSE(detect_regression(healthy(150.0), healthy(100.0)).detected);
}

TEST(DetectRegressionTest, RewardDropWithNegativeRewards) {
  // Pendulum-like returns: -230 is 15% worse than -200.
  const store::RegressionVerdict worse = detect_regression(healthy(-230.0), healthy(-200.0));
  EXPECT_EQ(check_names(worse), std::vector<std::string>{"reward_drop"});
  EXPECT_NEAR(worse.failed_checks[0].value, 0.15, 1e-12);
  // -170 is 15% better: no regression and no drop term.
  const store::RegressionVerdict better = detect_regression(healthy(-170.0), healthy(-200.0));
  EXPECT_FALSE(better.detected);
  EXPECT_EQ(better.regression_score, 0.0);
}

TEST(DetectRegressionTest, RewardDropAgainstAZeroBaselineMean) {
  const store::RegressionVerdict worse = detect_regression(healthy(-5.0), healthy(0.0));
  EXPECT_EQ(check_names(worse), std::vector<std::string>{"reward_drop"});
  EXPECT_EQ(worse.failed_checks[0].message,
            "mean reward -5 is below the baseline's 0 (limit 10.0%)");
  EXPECT_NEAR(worse.regression_score, 0.4, 1e-12);
  EXPECT_FALSE(detect_regression(healthy(0.0), healthy(0.0)).detected);
  EXPECT_FALSE(detect_regression(healthy(5.0), healthy(0.0)).detected);
}

TEST(DetectRegressionTest, VarianceRatioAboveTheMultiplier) {
  const store::RegressionVerdict verdict =
      detect_regression(healthy(100.0, 75.0), healthy(100.0, 25.0));
  EXPECT_EQ(check_names(verdict), std::vector<std::string>{"variance_ratio"});
  EXPECT_DOUBLE_EQ(verdict.failed_checks[0].value, 3.0);
  EXPECT_EQ(verdict.failed_checks[0].threshold, 2.5);
  EXPECT_EQ(verdict.failed_checks[0].message,
            "reward variance 75 is 3.00x the baseline's 25 (limit 2.5x)");
  EXPECT_NEAR(verdict.regression_score, 0.2, 1e-12);

  // Twice the variance: within the limit; (2 - 1) / (2.5 - 1) of the term.
  const store::RegressionVerdict within =
      detect_regression(healthy(100.0, 50.0), healthy(100.0, 25.0));
  EXPECT_FALSE(within.detected);
  EXPECT_NEAR(within.regression_score, 0.2 / 1.5, 1e-12);
  // Less variance than the baseline: nothing.
  EXPECT_EQ(detect_regression(healthy(100.0, 5.0), healthy(100.0, 25.0)).regression_score, 0.0);
}

TEST(DetectRegressionTest, VarianceAgainstAZeroBaselineVariance) {
  const store::RegressionVerdict verdict =
      detect_regression(healthy(100.0, 4.0), healthy(100.0, 0.0));
  EXPECT_EQ(check_names(verdict), std::vector<std::string>{"variance_ratio"});
  EXPECT_EQ(verdict.failed_checks[0].message,
            "reward variance 4 against the baseline's 0 (limit 2.5x)");
  EXPECT_FALSE(detect_regression(healthy(100.0, 0.0), healthy(100.0, 0.0)).detected);
}

TEST(DetectRegressionTest, IncreasingLossTrend) {
  store::EvaluationMetrics current = healthy();
  current.loss_trend = store::LossTrend::kIncreasing;
  const store::RegressionVerdict verdict = detect_regression(current, healthy());
  EXPECT_EQ(check_names(verdict), std::vector<std::string>{"loss_trend"});
  EXPECT_EQ(verdict.failed_checks[0].value, 1.0);
  EXPECT_NEAR(verdict.regression_score, 0.1, 1e-12);

  current.loss_trend = store::LossTrend::kStable;
  const store::RegressionVerdict stable = detect_regression(current, healthy());
  EXPECT_FALSE(stable.detected);
  EXPECT_NEAR(stable.regression_score, 0.03, 1e-12);
  current.loss_trend = store::LossTrend::kDecreasing;
  EXPECT_EQ(detect_regression(current, healthy()).regression_score, 0.0);
}

TEST(DetectRegressionTest, WithoutABaselineOnlyFailuresAndLossCount) {
  store::EvaluationMetrics current = healthy(-1000.0, 1e6);
  EXPECT_EQ(detect_regression(current, std::nullopt), store::RegressionVerdict{});
  current.success_rate = 0.0;
  current.loss_trend = store::LossTrend::kIncreasing;
  const store::RegressionVerdict verdict = detect_regression(current, std::nullopt);
  EXPECT_EQ(check_names(verdict), (std::vector<std::string>{"failure_rate", "loss_trend"}));
  EXPECT_NEAR(verdict.regression_score, 0.4, 1e-12);
  EXPECT_FALSE(verdict.should_rollback);
}

TEST(DetectRegressionTest, EverythingWrongScoresOneAndRollsBack) {
  store::EvaluationMetrics current = healthy(20.0, 500.0);
  current.success_rate = 0.0;
  current.loss_trend = store::LossTrend::kIncreasing;
  const store::RegressionVerdict verdict = detect_regression(current, healthy(100.0, 25.0));
  EXPECT_EQ(check_names(verdict), (std::vector<std::string>{"failure_rate", "reward_drop",
                                                            "variance_ratio", "loss_trend"}));
  EXPECT_NEAR(verdict.regression_score, 1.0, 1e-12);
  EXPECT_TRUE(verdict.should_rollback);
  EXPECT_EQ(verdict.reason,
            verdict.failed_checks[0].message + "; " + verdict.failed_checks[1].message + "; " +
                verdict.failed_checks[2].message + "; " + verdict.failed_checks[3].message);
}

TEST(DetectRegressionTest, RollsBackFromAScoreOfOneHalf) {
  // Failures (0.3) and a drop of half the threshold (0.2): exactly 0.5.
  store::EvaluationMetrics current = healthy(95.0);
  current.success_rate = 0.5;
  const store::RegressionVerdict verdict = detect_regression(current, healthy(100.0));
  EXPECT_NEAR(verdict.regression_score, 0.5, 1e-12);
  EXPECT_TRUE(verdict.should_rollback);
  // A score of 0.3 from a failed check alone is detected but not rolled back (tested above);
  // a score below 0.5 without a failed check is neither.
  current.success_rate = 0.9;
  const store::RegressionVerdict quiet = detect_regression(current, healthy(100.0));
  EXPECT_FALSE(quiet.detected);
  EXPECT_FALSE(quiet.should_rollback);
}

TEST(DetectRegressionTest, CustomThresholds) {
  store::EvaluationMetrics current = healthy(99.0);
  current.success_rate = 0.99;
  const RegressionThresholds strict{
      .failure_rate = 0.0, .reward_drop_pct = 0.005, .variance_multiplier = 1.0};
  const store::RegressionVerdict verdict = detect_regression(current, healthy(100.0, 20.0), strict);
  EXPECT_EQ(check_names(verdict),
            (std::vector<std::string>{"failure_rate", "reward_drop", "variance_ratio"}));
  EXPECT_NEAR(verdict.regression_score, 0.9, 1e-12);  // a zero threshold makes a term 1
}

TEST(BaselineComparisonTest, NullWithoutABaseline) {
  EXPECT_EQ(baseline_comparison_json(healthy(), std::nullopt), "null");
}

TEST(BaselineComparisonTest, BaselineNumbersAndDeltas) {
  store::EvaluationMetrics current = healthy(-250.0, 100.0);
  current.success_rate = 0.5;
  const store::EvaluationMetrics baseline = healthy(-200.0, 25.0);
  const nlohmann::json json = nlohmann::json::parse(baseline_comparison_json(current, baseline));
  EXPECT_EQ(json["baseline"]["mean_reward"], -200.0);
  EXPECT_EQ(json["baseline"]["std_reward"], 5.0);
  EXPECT_EQ(json["baseline"]["success_rate"], 1.0);
  EXPECT_EQ(json["baseline"]["reward_variance"], 25.0);
  EXPECT_EQ(json["mean_reward_delta"], -50.0);
  EXPECT_EQ(json["std_reward_delta"], 5.0);
  EXPECT_EQ(json["success_rate_delta"], -0.5);
  EXPECT_EQ(json["relative_reward_drop"], 0.25);
  EXPECT_EQ(json["variance_ratio"], 4.0);
}

}  // namespace
}  // namespace tars::eval
