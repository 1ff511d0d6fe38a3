// Configuration keys owned by the evaluation engine (environment variables: the names
// upper-cased, e.g. EVAL_FAILURE_RATE).
#pragma once

#include <string_view>
#include <vector>

#include "tars/core/config.h"
#include "tars/eval/regression.h"

namespace tars::eval {

inline constexpr std::string_view kEvalFailureRateKey = "eval_failure_rate";
inline constexpr std::string_view kEvalRewardDropPctKey = "eval_reward_drop_pct";
inline constexpr std::string_view kEvalVarianceMultiplierKey = "eval_variance_multiplier";
inline constexpr std::string_view kEvalMaxConcurrentKey = "eval_max_concurrent";

// eval_failure_rate, eval_reward_drop_pct, eval_variance_multiplier (defaults from
// RegressionThresholds), eval_max_concurrent (0: one evaluation per core).
std::vector<core::ConfigKey> eval_config_keys();

// The thresholds a config resolved from a schema holding eval_config_keys().
RegressionThresholds regression_thresholds(const core::Config& config);
// eval_max_concurrent, with 0 resolved to the number of cores (at least 1).
int eval_max_concurrent(const core::Config& config);

}  // namespace tars::eval
