// The evaluation engine's configuration keys resolve from defaults, environment variables and
// files, with their bounds enforced.
#include "tars/eval/config_keys.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <utility>

namespace tars::eval {
namespace {

core::Expected<core::Config> load(std::map<std::string, std::string> env) {
  core::ConfigSchema schema;
  EXPECT_TRUE(schema.add(eval_config_keys()).ok());
  return core::load_config(schema, {.env = core::env_from_map(std::move(env))});
}

TEST(EvalConfigKeysTest, DefaultsAreTheDocumentedThresholds) {
  auto config = load({});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  const RegressionThresholds thresholds = regression_thresholds(*config);
  EXPECT_EQ(thresholds.failure_rate, 0.15);
  EXPECT_EQ(thresholds.reward_drop_pct, 0.10);
  EXPECT_EQ(thresholds.variance_multiplier, 2.5);
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  EXPECT_EQ(eval_max_concurrent(*config), cores > 0 ? cores : 1);
}

TEST(EvalConfigKeysTest, ReadsTheUpperCasedEnvironmentVariables) {
  auto config = load({{"EVAL_FAILURE_RATE", "0.3"},
                      {"EVAL_REWARD_DROP_PCT", "0.05"},
                      {"EVAL_VARIANCE_MULTIPLIER", "4"},
                      {"EVAL_MAX_CONCURRENT", "3"}});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  const RegressionThresholds thresholds = regression_thresholds(*config);
  EXPECT_EQ(thresholds.failure_rate, 0.3);
  EXPECT_EQ(thresholds.reward_drop_pct, 0.05);
  EXPECT_EQ(thresholds.variance_multiplier, 4.0);
  EXPECT_EQ(eval_max_concurrent(*config), 3);
}

TEST(EvalConfigKeysTest, RejectsValuesOutOfBounds) {
  const std::map<std::string, std::pair<std::string, std::string>> cases = {
      {"EVAL_FAILURE_RATE", {"1.5", "EVAL_FAILURE_RATE: must be between 0 and 1, got 1.5"}},
      {"EVAL_REWARD_DROP_PCT", {"-0.1", "EVAL_REWARD_DROP_PCT: must be at least 0, got -0.1"}},
      {"EVAL_VARIANCE_MULTIPLIER",
       {"0.5", "EVAL_VARIANCE_MULTIPLIER: must be at least 1, got 0.5"}},
      {"EVAL_MAX_CONCURRENT", {"-1", "EVAL_MAX_CONCURRENT: must be at least 0, got -1"}},
  };
  for (const auto& [var, value_and_message] : cases) {
    auto config = load({{var, value_and_message.first}});
    ASSERT_FALSE(config.ok()) << var;
    EXPECT_EQ(config.status().message(), value_and_message.second);
  }
}

}  // namespace
}  // namespace tars::eval
