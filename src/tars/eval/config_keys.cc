#include "tars/eval/config_keys.h"

#include <algorithm>
#include <string>
#include <thread>

namespace tars::eval {

std::vector<core::ConfigKey> eval_config_keys() {
  const RegressionThresholds defaults;
  return {
      core::double_key(std::string(kEvalFailureRateKey), defaults.failure_rate,
                       "Regression when more than this fraction of evaluation episodes fail", 0.0,
                       1.0),
      core::double_key(std::string(kEvalRewardDropPctKey), defaults.reward_drop_pct,
                       "Regression when the mean reward drops by more than this fraction of "
                       "|baseline mean reward|",
                       0.0),
      core::double_key(std::string(kEvalVarianceMultiplierKey), defaults.variance_multiplier,
                       "Regression when the reward variance exceeds the baseline's times this",
                       1.0),
      core::int_key(std::string(kEvalMaxConcurrentKey), 0,
                    "Evaluations run at the same time; 0 means one per CPU core", 0),
  };
}

RegressionThresholds regression_thresholds(const core::Config& config) {
  return RegressionThresholds{
      .failure_rate = config.get_double(kEvalFailureRateKey),
      .reward_drop_pct = config.get_double(kEvalRewardDropPctKey),
      .variance_multiplier = config.get_double(kEvalVarianceMultiplierKey),
  };
}

int eval_max_concurrent(const core::Config& config) {
  const std::int64_t configured = config.get_int(kEvalMaxConcurrentKey);
  if (configured > 0) return static_cast<int>(configured);
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace tars::eval
