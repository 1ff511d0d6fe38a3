// The regression detector: judges an evaluation's metrics against the baseline's (the best known
// evaluation of the same agent type on the same environment) and decides whether to roll back.
#pragma once

#include <optional>
#include <string>

#include "tars/store/records.h"

namespace tars::eval {

// Configurable as eval_failure_rate, eval_reward_drop_pct, eval_variance_multiplier
// (eval/config_keys.h).
struct RegressionThresholds {
  double failure_rate = 0.15;        // largest tolerated fraction of failed episodes
  double reward_drop_pct = 0.10;     // largest tolerated mean-reward drop, relative to |baseline|
  double variance_multiplier = 2.5;  // largest tolerated reward variance, in baseline variances
};

// A baseline |mean reward| or reward standard deviation below this counts as this, so that the
// relative drop and the variance ratio stay finite: against a zero baseline mean any drop of more
// than 1e-7 (reward units) exceeds a 10% threshold, against a zero baseline variance any standard
// deviation above ~1.6e-6 exceeds a 2.5x multiplier.
inline constexpr double kRewardScaleFloor = 1e-6;

// Weights of the regression score terms.
inline constexpr double kDropWeight = 0.4;
inline constexpr double kFailureWeight = 0.3;
inline constexpr double kVarianceWeight = 0.2;
inline constexpr double kLossWeight = 0.1;
// The loss term for a stable loss trend (1 when increasing, 0 when decreasing or unknown).
inline constexpr double kStableLossTerm = 0.3;
// A detected regression with at least this score should be rolled back.
inline constexpr double kRollbackScore = 0.5;

// (baseline - current) / max(|baseline|, kRewardScaleFloor): positive when the current mean is
// worse, correct for negative rewards (-200 → -250 is a 25% drop).
double relative_reward_drop(double current_mean, double baseline_mean);
// current / max(baseline, kRewardScaleFloor²).
double variance_ratio(double current_variance, double baseline_variance);

// Checks, each failing when its value is above its threshold:
// - "failure_rate": 1 - success_rate against thresholds.failure_rate;
// - "reward_drop": relative_reward_drop against thresholds.reward_drop_pct (needs a baseline);
// - "variance_ratio": variance_ratio against thresholds.variance_multiplier (needs a baseline);
// - "loss_trend": value 1 when the loss trend is increasing, threshold 0.
// regression_score = 0.4·drop + 0.3·failure + 0.2·variance + 0.1·loss, where drop and failure are
// their values over their thresholds, variance is (ratio - 1) / (multiplier - 1) so that an
// unchanged variance scores 0, loss is 1 increasing / 0.3 stable / 0 otherwise, each clipped to
// [0, 1] (a zero threshold makes a term 1 for any positive value); without a baseline the drop and
// variance terms are 0. detected = any check failed; reason = the failed checks' messages joined
// with "; "; should_rollback = detected && score >= kRollbackScore.
store::RegressionVerdict detect_regression(const store::EvaluationMetrics& current,
                                           const std::optional<store::EvaluationMetrics>& baseline,
                                           const RegressionThresholds& thresholds = {});

// The `baseline_comparison` JSON stored with an evaluation: "null" without a baseline, otherwise
// {"baseline": {"mean_reward", "std_reward", "success_rate", "reward_variance"},
//  "mean_reward_delta", "std_reward_delta", "success_rate_delta" (current - baseline),
//  "relative_reward_drop", "variance_ratio"}.
std::string baseline_comparison_json(const store::EvaluationMetrics& current,
                                     const std::optional<store::EvaluationMetrics>& baseline);

}  // namespace tars::eval
