#include "tars/eval/record_json.h"

namespace tars::eval {
namespace {

using nlohmann::json;

template <typename T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json();
}

json optional_time(const std::optional<core::Timestamp>& value) {
  return value ? json(core::format_iso8601(*value)) : json();
}

// Stored JSON text as a value ("null" when it does not parse, which the store never writes).
json embedded(const std::string& text) {
  auto parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? json() : parsed;
}

}  // namespace

json to_json(const store::EvaluationMetrics& metrics) {
  return {{"mean_reward", metrics.mean_reward},
          {"std_reward", metrics.std_reward},
          {"min_reward", metrics.min_reward},
          {"max_reward", metrics.max_reward},
          {"success_rate", metrics.success_rate},
          {"mean_steps", metrics.mean_steps},
          {"mean_loss", optional_json(metrics.mean_loss)},
          {"loss_trend", metrics.loss_trend == store::LossTrend::kNone
                             ? json()
                             : json(store::loss_trend_name(metrics.loss_trend))},
          {"action_entropy", metrics.action_entropy},
          {"reward_variance", metrics.reward_variance}};
}

json to_json(const store::RegressionVerdict& regression) {
  json checks = json::array();
  for (const auto& check : regression.failed_checks) {
    checks.push_back({{"name", check.name},
                      {"value", check.value},
                      {"threshold", check.threshold},
                      {"message", check.message}});
  }
  return {{"detected", regression.detected},
          {"regression_score", regression.regression_score},
          {"reason", regression.reason},
          {"should_rollback", regression.should_rollback},
          {"failed_checks", checks}};
}

json to_json(const store::EvaluationRecord& record) {
  json out{{"id", record.id},
           {"agent_id", record.agent_id},
           {"agent_type", record.agent_type},
           {"environment", record.environment},
           {"status", store::status_name(record.status)},
           {"num_episodes", record.num_episodes},
           {"seed", record.seed},
           {"policy_mode", store::policy_mode_name(record.policy_mode)},
           {"checkpoint_hash", record.checkpoint_hash},
           {"hyperparameters", embedded(record.hyperparameters)},
           {"metrics", record.metrics ? to_json(*record.metrics) : json()},
           {"regression", record.regression ? to_json(*record.regression) : json()},
           {"baseline_comparison", embedded(record.baseline_comparison)},
           {"duration_seconds", optional_json(record.duration_seconds)},
           {"error", record.error.empty() ? json() : json(record.error)},
           {"created_at", core::format_iso8601(record.created_at)},
           {"started_at", optional_time(record.started_at)},
           {"completed_at", optional_time(record.completed_at)},
           {"action_counts", record.action_counts}};
  if (!record.episodes.empty()) {
    json episodes = json::array();
    for (const auto& episode : record.episodes) {
      episodes.push_back({{"episode_num", episode.episode_num},
                          {"seed", episode.seed},
                          {"total_reward", episode.total_reward},
                          {"steps", episode.steps},
                          {"success", episode.success}});
    }
    out["episodes"] = std::move(episodes);
  }
  return out;
}

json to_json(const store::BaselineRecord& baseline) {
  return {{"id", baseline.id},
          {"agent_type", baseline.agent_type},
          {"environment", baseline.environment},
          {"metrics", to_json(baseline.metrics)},
          {"hyperparameters", embedded(baseline.hyperparameters)},
          {"version", baseline.version},
          {"rank", baseline.rank},
          {"evaluation_id", optional_json(baseline.evaluation_id)},
          {"created_at", core::format_iso8601(baseline.created_at)},
          {"updated_at", core::format_iso8601(baseline.updated_at)}};
}

}  // namespace tars::eval
