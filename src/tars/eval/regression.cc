#include "tars/eval/regression.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "tars/eval/metrics.h"

namespace tars::eval {
namespace {

// value / limit clipped to [0, 1]; with a zero limit, 1 for any positive value.
double normalised(double value, double limit) {
  if (limit <= 0.0) return value > 0.0 ? 1.0 : 0.0;
  return std::clamp(value / limit, 0.0, 1.0);
}

double loss_term(store::LossTrend trend) {
  switch (trend) {
    case store::LossTrend::kIncreasing:
      return 1.0;
    case store::LossTrend::kStable:
      return kStableLossTerm;
    case store::LossTrend::kNone:
    case store::LossTrend::kDecreasing:
      break;
  }
  return 0.0;
}

std::string percent(double fraction) { return fmt::format("{:.1f}%", 100.0 * fraction); }

std::string reward_drop_message(double current, double baseline, double drop, double limit) {
  if (std::abs(baseline) < kRewardScaleFloor) {
    return fmt::format("mean reward {:.4g} is below the baseline's 0 (limit {})", current,
                       percent(limit));
  }
  return fmt::format("mean reward {:.4g} is {} below the baseline's {:.4g} (limit {})", current,
                     percent(drop), baseline, percent(limit));
}

std::string variance_message(double current, double baseline, double ratio, double limit) {
  if (baseline < kRewardScaleFloor * kRewardScaleFloor) {
    return fmt::format("reward variance {:.4g} against the baseline's 0 (limit {:g}x)", current,
                       limit);
  }
  return fmt::format("reward variance {:.4g} is {:.2f}x the baseline's {:.4g} (limit {:g}x)",
                     current, ratio, baseline, limit);
}

}  // namespace

double relative_reward_drop(double current_mean, double baseline_mean) {
  return (baseline_mean - current_mean) / std::max(std::abs(baseline_mean), kRewardScaleFloor);
}

double variance_ratio(double current_variance, double baseline_variance) {
  return current_variance / std::max(baseline_variance, kRewardScaleFloor * kRewardScaleFloor);
}

store::RegressionVerdict detect_regression(const store::EvaluationMetrics& current,
                                           const std::optional<store::EvaluationMetrics>& baseline,
                                           const RegressionThresholds& thresholds) {
  store::RegressionVerdict verdict;
  std::vector<store::FailedCheck>& failed = verdict.failed_checks;

  const double failure_rate = 1.0 - current.success_rate;
  if (failure_rate > thresholds.failure_rate) {
    failed.push_back({"failure_rate", failure_rate, thresholds.failure_rate,
                      fmt::format("failure rate {} is above the limit of {}", percent(failure_rate),
                                  percent(thresholds.failure_rate))});
  }
  double drop = 0.0;
  double ratio = 1.0;
  if (baseline) {
    drop = relative_reward_drop(current.mean_reward, baseline->mean_reward);
    if (drop > thresholds.reward_drop_pct) {
      failed.push_back({"reward_drop", drop, thresholds.reward_drop_pct,
                        reward_drop_message(current.mean_reward, baseline->mean_reward, drop,
                                            thresholds.reward_drop_pct)});
    }
    ratio = variance_ratio(current.reward_variance, baseline->reward_variance);
    if (ratio > thresholds.variance_multiplier) {
      failed.push_back({"variance_ratio", ratio, thresholds.variance_multiplier,
                        variance_message(current.reward_variance, baseline->reward_variance, ratio,
                                         thresholds.variance_multiplier)});
    }
  }
  if (current.loss_trend == store::LossTrend::kIncreasing) {
    failed.push_back({"loss_trend", 1.0, 0.0,
                      fmt::format("training loss is increasing (least-squares slope of the last "
                                  "{} losses above {:g})",
                                  kLossTrendWindow, kLossTrendSlope)});
  }

  verdict.regression_score =
      kDropWeight * normalised(drop, thresholds.reward_drop_pct) +
      kFailureWeight * normalised(failure_rate, thresholds.failure_rate) +
      kVarianceWeight * normalised(ratio - 1.0, thresholds.variance_multiplier - 1.0) +
      kLossWeight * loss_term(current.loss_trend);
  verdict.detected = !failed.empty();
  for (const store::FailedCheck& check : failed) {
    verdict.reason += (verdict.reason.empty() ? "" : "; ") + check.message;
  }
  verdict.should_rollback = verdict.detected && verdict.regression_score >= kRollbackScore;
  return verdict;
}

std::string baseline_comparison_json(const store::EvaluationMetrics& current,
                                     const std::optional<store::EvaluationMetrics>& baseline) {
  if (!baseline) return "null";
  const nlohmann::json comparison = {
      {"baseline",
       {{"mean_reward", baseline->mean_reward},
        {"std_reward", baseline->std_reward},
        {"success_rate", baseline->success_rate},
        {"reward_variance", baseline->reward_variance}}},
      {"mean_reward_delta", current.mean_reward - baseline->mean_reward},
      {"std_reward_delta", current.std_reward - baseline->std_reward},
      {"success_rate_delta", current.success_rate - baseline->success_rate},
      {"relative_reward_drop", relative_reward_drop(current.mean_reward, baseline->mean_reward)},
      {"variance_ratio", variance_ratio(current.reward_variance, baseline->reward_variance)}};
  return comparison.dump();
}

}  // namespace tars::eval
