#include "tars/store/record_json.h"

#include <fmt/format.h>

namespace tars::store {
namespace {

void write_time(core::JsonWriter& out, const std::optional<core::Timestamp>& value) {
  if (value) {
    out.value(core::format_iso8601(*value));
  } else {
    out.null();
  }
}

// Stored JSON text (the store keeps it compact and valid); empty text is null.
void write_embedded(core::JsonWriter& out, const std::string& text) {
  if (text.empty()) {
    out.null();
  } else {
    out.raw(text);
  }
}

template <typename Record>
std::string text_of(const Record& record) {
  std::string text;
  core::JsonWriter writer(text);
  write_json(writer, record);
  return text;
}

}  // namespace

void write_json(core::JsonWriter& out, const EvaluationMetrics& metrics) {
  out.begin_object();
  out.key("action_entropy").value(metrics.action_entropy);
  out.key("loss_trend");
  if (metrics.loss_trend == LossTrend::kNone) {
    out.null();
  } else {
    out.value(loss_trend_name(metrics.loss_trend));
  }
  out.key("max_reward").value(metrics.max_reward);
  out.key("mean_loss").value(metrics.mean_loss);
  out.key("mean_reward").value(metrics.mean_reward);
  out.key("mean_steps").value(metrics.mean_steps);
  out.key("min_reward").value(metrics.min_reward);
  out.key("reward_variance").value(metrics.reward_variance);
  out.key("std_reward").value(metrics.std_reward);
  out.key("success_rate").value(metrics.success_rate);
  out.end_object();
}

void write_json(core::JsonWriter& out, const RegressionVerdict& regression) {
  out.begin_object();
  out.key("detected").value(regression.detected);
  out.key("failed_checks").begin_array();
  for (const auto& check : regression.failed_checks) {
    out.begin_object();
    out.key("message").value(check.message);
    out.key("name").value(check.name);
    out.key("threshold").value(check.threshold);
    out.key("value").value(check.value);
    out.end_object();
  }
  out.end_array();
  out.key("reason").value(regression.reason);
  out.key("regression_score").value(regression.regression_score);
  out.key("should_rollback").value(regression.should_rollback);
  out.end_object();
}

namespace {

// Every member of the record but id, in key order; episodes when asked for and loaded.
void write_members(core::JsonWriter& out, const EvaluationRecord& record, bool with_episodes) {
  out.key("action_counts").begin_array();
  for (const auto& bins : record.action_counts) {
    out.begin_array();
    for (const std::int64_t count : bins) out.value(count);
    out.end_array();
  }
  out.end_array();
  out.key("agent_id").value(record.agent_id);
  out.key("agent_type").value(record.agent_type);
  out.key("baseline_comparison");
  write_embedded(out, record.baseline_comparison);
  out.key("checkpoint_hash").value(record.checkpoint_hash);
  out.key("completed_at");
  write_time(out, record.completed_at);
  out.key("created_at").value(core::format_iso8601(record.created_at));
  out.key("duration_seconds").value(record.duration_seconds);
  out.key("environment").value(record.environment);
  if (with_episodes && !record.episodes.empty()) {
    out.key("episodes").begin_array();
    for (const auto& episode : record.episodes) {
      out.begin_object();
      out.key("episode_num").value(episode.episode_num);
      out.key("seed").value(episode.seed);
      out.key("steps").value(episode.steps);
      out.key("success").value(episode.success);
      out.key("total_reward").value(episode.total_reward);
      out.end_object();
    }
    out.end_array();
  }
  out.key("error");
  if (record.error.empty()) {
    out.null();
  } else {
    out.value(record.error);
  }
  out.key("hyperparameters");
  write_embedded(out, record.hyperparameters);
  out.key("metrics");
  if (record.metrics) {
    write_json(out, *record.metrics);
  } else {
    out.null();
  }
  out.key("num_episodes").value(record.num_episodes);
  out.key("policy_mode").value(policy_mode_name(record.policy_mode));
  out.key("regression");
  if (record.regression) {
    write_json(out, *record.regression);
  } else {
    out.null();
  }
  out.key("seed").value(record.seed);
  out.key("started_at");
  write_time(out, record.started_at);
  out.key("status").value(status_name(record.status));
}

}  // namespace

void write_json(core::JsonWriter& out, const EvaluationRecord& record) {
  out.begin_object();
  out.key("id").value(record.id);
  write_members(out, record, /*with_episodes=*/true);
  out.end_object();
}

std::string evaluation_document(const EvaluationRecord& record) {
  std::string text;
  core::JsonWriter writer(text);
  writer.begin_object();
  write_members(writer, record, /*with_episodes=*/false);
  writer.end_object();
  return text;
}

std::string evaluation_json(std::int64_t id, std::string_view document) {
  std::string text;
  text.reserve(document.size() + 32);
  fmt::format_to(std::back_inserter(text), "{{\"id\":{},", id);
  text += document.substr(1);  // the document's members after its opening brace
  return text;
}

void write_json(core::JsonWriter& out, const BaselineRecord& baseline) {
  out.begin_object();
  out.key("agent_type").value(baseline.agent_type);
  out.key("created_at").value(core::format_iso8601(baseline.created_at));
  out.key("environment").value(baseline.environment);
  out.key("evaluation_id").value(baseline.evaluation_id);
  out.key("hyperparameters");
  write_embedded(out, baseline.hyperparameters);
  out.key("id").value(baseline.id);
  out.key("metrics");
  write_json(out, baseline.metrics);
  out.key("rank").value(baseline.rank);
  out.key("updated_at").value(core::format_iso8601(baseline.updated_at));
  out.key("version").value(baseline.version);
  out.end_object();
}

std::string json_text(const EvaluationRecord& record) { return text_of(record); }
std::string json_text(const BaselineRecord& baseline) { return text_of(baseline); }

nlohmann::json to_json(const EvaluationMetrics& metrics) {
  return nlohmann::json::parse(text_of(metrics));
}
nlohmann::json to_json(const RegressionVerdict& regression) {
  return nlohmann::json::parse(text_of(regression));
}
nlohmann::json to_json(const EvaluationRecord& record) {
  return nlohmann::json::parse(text_of(record));
}
nlohmann::json to_json(const BaselineRecord& baseline) {
  return nlohmann::json::parse(text_of(baseline));
}

}  // namespace tars::store
