#include "tars/store/sql_codec.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <span>

#include "tars/store/record_json.h"

namespace tars::store {
namespace {

enum class Kind { kPlain, kTimestamp };

struct Column {
  const char* name = "";
  Kind kind = Kind::kPlain;
};

// The ten metric columns, in the same order in both tables.
constexpr std::array<Column, 10> kMetricColumns{{
    {"mean_reward"},
    {"std_reward"},
    {"min_reward"},
    {"max_reward"},
    {"success_rate"},
    {"mean_steps"},
    {"mean_loss"},
    {"loss_trend"},
    {"action_entropy"},
    {"reward_variance"},
}};

template <std::size_t... N>
constexpr auto concat(const std::array<Column, N>&... parts) {
  std::array<Column, (N + ...)> all{};
  std::size_t at = 0;
  ((std::copy(parts.begin(), parts.end(), all.begin() + at), at += N), ...);
  return all;
}

// The record's columns in evaluation_params' and read_evaluation's order.
constexpr auto kEvaluationFields =
    concat(std::array<Column, 9>{{{"agent_id"},
                                  {"agent_type"},
                                  {"environment"},
                                  {"status"},
                                  {"num_episodes"},
                                  {"seed"},
                                  {"policy_mode"},
                                  {"checkpoint_hash"},
                                  {"hyperparameters"}}},
           kMetricColumns,
           std::array<Column, 12>{{{"regression_detected"},
                                   {"regression_score"},
                                   {"regression_reason"},
                                   {"should_rollback"},
                                   {"failed_checks"},
                                   {"baseline_comparison"},
                                   {"duration_seconds"},
                                   {"error"},
                                   {"created_at", Kind::kTimestamp},
                                   {"started_at", Kind::kTimestamp},
                                   {"completed_at", Kind::kTimestamp},
                                   {"action_counts"}}});
// Writes add the list-ready JSON document (evaluation_document); reads select the id instead.
constexpr auto kEvaluationWrites =
    concat(kEvaluationFields, std::array<Column, 1>{{{"record_json"}}});
constexpr auto kEvaluationReads = concat(kEvaluationFields, std::array<Column, 1>{{{"id"}}});

constexpr std::array<Column, 6> kEpisodeColumns{{
    {"evaluation_id"},
    {"episode_num"},
    {"seed"},
    {"total_reward"},
    {"steps"},
    {"success"},
}};

constexpr auto kBaselineColumns =
    concat(std::array<Column, 2>{{{"agent_type"}, {"environment"}}}, kMetricColumns,
           std::array<Column, 7>{{{"hyperparameters"},
                                  {"version"},
                                  {"rank"},
                                  {"evaluation_id"},
                                  {"created_at", Kind::kTimestamp},
                                  {"updated_at", Kind::kTimestamp},
                                  {"id"}}});
constexpr std::size_t kBaselineWritable = kBaselineColumns.size() - 1;

std::string value_sql(Backend backend, const Column& column, int number) {
  return column.kind == Kind::kTimestamp ? time_param(backend, number)
                                         : placeholder(backend, number);
}

std::string select_sql(Backend backend, const Column& column) {
  return column.kind == Kind::kTimestamp ? time_column(backend, column.name)
                                         : std::string(column.name);
}

// INSERT of the first `count` columns; `returning_id` appends PostgreSQL's "RETURNING id".
std::string insert_sql(Backend backend, std::string_view table, std::span<const Column> columns,
                       std::size_t count, bool returning_id) {
  std::string names;
  std::string values;
  for (std::size_t i = 0; i < count; ++i) {
    names += fmt::format("{}{}", i == 0 ? "" : ", ", columns[i].name);
    values += fmt::format("{}{}", i == 0 ? "" : ", ",
                          value_sql(backend, columns[i], static_cast<int>(i) + 1));
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({}){}", table, names, values,
                     backend == Backend::kPostgres && returning_id ? " RETURNING id" : "");
}

std::string select_list(Backend backend, std::span<const Column> columns) {
  std::string list;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    list += fmt::format("{}{}", i == 0 ? "" : ", ", select_sql(backend, columns[i]));
  }
  return list;
}

// Compact, keys sorted: PostgreSQL's JSONB reorders and reformats what it stores, so both
// backends store and return this form. Text that is not JSON becomes null, so records read back
// always embed valid JSON.
std::string normalized_json(const std::string& text) {
  if (text == "{}" || text == "null") return text;  // already canonical; the common case
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return json.is_discarded() ? "null" : json.dump();
}

SqlValue optional_value(const std::optional<double>& value) {
  return value ? SqlValue(*value) : SqlValue();
}

SqlValue optional_time(const std::optional<core::Timestamp>& value) {
  return value ? SqlValue(core::to_micros(*value)) : SqlValue();
}

std::optional<double> optional_double(const Row& row, int column) {
  return row.is_null(column) ? std::nullopt : std::optional<double>(row.get_double(column));
}

std::optional<core::Timestamp> optional_time(const Row& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return core::from_micros(row.get_int(column));
}

// Metrics occupy ten consecutive columns in both tables, from mean_reward to reward_variance.
void add_metrics(const std::optional<EvaluationMetrics>& metrics, SqlParams& params) {
  if (!metrics) {
    params.insert(params.end(), 10, SqlValue());
    return;
  }
  params.insert(params.end(), {metrics->mean_reward, metrics->std_reward, metrics->min_reward,
                               metrics->max_reward, metrics->success_rate, metrics->mean_steps,
                               optional_value(metrics->mean_loss),
                               std::string(loss_trend_name(metrics->loss_trend)),
                               metrics->action_entropy, metrics->reward_variance});
}

core::Expected<EvaluationMetrics> read_metrics(const Row& row, int first) {
  auto trend = parse_loss_trend(row.get_text(first + 7));
  if (!trend.ok()) return trend.status();
  return EvaluationMetrics{.mean_reward = row.get_double(first),
                           .std_reward = row.get_double(first + 1),
                           .min_reward = row.get_double(first + 2),
                           .max_reward = row.get_double(first + 3),
                           .success_rate = row.get_double(first + 4),
                           .mean_steps = row.get_double(first + 5),
                           .mean_loss = optional_double(row, first + 6),
                           .loss_trend = *trend,
                           .action_entropy = row.get_double(first + 8),
                           .reward_variance = row.get_double(first + 9)};
}

std::string failed_checks_json(const std::vector<FailedCheck>& checks) {
  auto array = nlohmann::json::array();
  for (const auto& check : checks) {
    array.push_back({{"name", check.name},
                     {"value", check.value},
                     {"threshold", check.threshold},
                     {"message", check.message}});
  }
  return array.dump();
}

core::Expected<std::vector<FailedCheck>> parse_failed_checks(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_array()) return core::invalid_argument("failed_checks: not a JSON array");
  std::vector<FailedCheck> checks;
  for (const auto& item : json) {
    if (!item.is_object()) return core::invalid_argument("failed_checks: not an array of objects");
    checks.push_back({item.value("name", ""), item.value("value", 0.0),
                      item.value("threshold", 0.0), item.value("message", "")});
  }
  return checks;
}

core::Expected<std::vector<std::vector<std::int64_t>>> parse_action_counts(
    const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  try {
    return json.get<std::vector<std::vector<std::int64_t>>>();
  } catch (const nlohmann::json::exception&) {
    return core::invalid_argument("action_counts: not an array of arrays of integers");
  }
}

void add_regression(const std::optional<RegressionVerdict>& regression, SqlParams& params) {
  if (!regression) {
    params.insert(params.end(), 5, SqlValue());
    return;
  }
  params.insert(params.end(), {std::int64_t{regression->detected}, regression->regression_score,
                               regression->reason, std::int64_t{regression->should_rollback},
                               failed_checks_json(regression->failed_checks)});
}

core::Expected<RegressionVerdict> read_regression(const Row& row, int first) {
  auto checks = parse_failed_checks(row.get_text(first + 4));
  if (!checks.ok()) return checks.status();
  return RegressionVerdict{.detected = row.get_int(first) != 0,
                           .regression_score = row.get_double(first + 1),
                           .reason = row.get_text(first + 2),
                           .should_rollback = row.get_int(first + 3) != 0,
                           .failed_checks = std::move(*checks)};
}

}  // namespace

std::string time_param(Backend backend, int number) {
  if (backend == Backend::kSqlite) return placeholder(backend, number);
  return fmt::format("(TIMESTAMPTZ 'epoch' + ${}::bigint * INTERVAL '1 microsecond')", number);
}

std::string time_column(Backend backend, std::string_view column) {
  if (backend == Backend::kSqlite) return std::string(column);
  return fmt::format("(EXTRACT(EPOCH FROM {0}) * 1000000)::bigint AS {0}", column);
}

std::string placeholder(Backend backend, int number) {
  return fmt::format("{}{}", backend == Backend::kSqlite ? '?' : '$', number);
}

// The SQL of each backend, built once: the seed command runs it a million times.
template <typename Build>
const std::string& cached(Backend backend, Build build) {
  static const std::string sqlite = build(Backend::kSqlite);
  static const std::string postgres = build(Backend::kPostgres);
  return backend == Backend::kSqlite ? sqlite : postgres;
}

const std::string& insert_evaluation_sql(Backend backend) {
  return cached(backend, [](Backend b) {
    return insert_sql(b, "evaluations", kEvaluationWrites, kEvaluationWrites.size(), true);
  });
}

std::string update_evaluation_sql(Backend backend) {
  std::string sets;
  for (std::size_t i = 0; i < kEvaluationWrites.size(); ++i) {
    sets += fmt::format("{}{} = {}", i == 0 ? "" : ", ", kEvaluationWrites[i].name,
                        value_sql(backend, kEvaluationWrites[i], static_cast<int>(i) + 1));
  }
  return fmt::format("UPDATE evaluations SET {} WHERE id = {}", sets,
                     placeholder(backend, static_cast<int>(kEvaluationWrites.size()) + 1));
}

std::string select_evaluation_sql(Backend backend) {
  return fmt::format("SELECT {} FROM evaluations", select_list(backend, kEvaluationReads));
}

SqlParams evaluation_params(const EvaluationRecord& record) {
  SqlParams params{record.agent_id,
                   record.agent_type,
                   record.environment,
                   std::string(status_name(record.status)),
                   std::int64_t{record.num_episodes},
                   static_cast<std::int64_t>(record.seed),
                   std::string(policy_mode_name(record.policy_mode)),
                   record.checkpoint_hash,
                   normalized_json(record.hyperparameters)};
  add_metrics(record.metrics, params);
  add_regression(record.regression, params);
  params.insert(
      params.end(),
      {normalized_json(record.baseline_comparison), optional_value(record.duration_seconds),
       record.error, core::to_micros(record.created_at), optional_time(record.started_at),
       optional_time(record.completed_at), nlohmann::json(record.action_counts).dump(),
       evaluation_document(record)});
  return params;
}

core::Expected<EvaluationRecord> read_evaluation(const Row& row) {
  EvaluationRecord record;
  record.agent_id = row.get_text(0);
  record.agent_type = row.get_text(1);
  record.environment = row.get_text(2);
  auto status = parse_status(row.get_text(3));
  auto mode = parse_policy_mode(row.get_text(6));
  if (!status.ok()) return status.status();
  if (!mode.ok()) return mode.status();
  record.status = *status;
  record.num_episodes = static_cast<int>(row.get_int(4));
  record.seed = static_cast<std::uint64_t>(row.get_int(5));
  record.policy_mode = *mode;
  record.checkpoint_hash = row.get_text(7);
  record.hyperparameters = normalized_json(row.get_text(8));
  if (!row.is_null(9)) {
    auto metrics = read_metrics(row, 9);
    if (!metrics.ok()) return metrics.status();
    record.metrics = *metrics;
  }
  if (!row.is_null(19)) {
    auto regression = read_regression(row, 19);
    if (!regression.ok()) return regression.status();
    record.regression = std::move(*regression);
  }
  record.baseline_comparison = normalized_json(row.get_text(24));
  record.duration_seconds = optional_double(row, 25);
  record.error = row.get_text(26);
  record.created_at = core::from_micros(row.get_int(27));
  record.started_at = optional_time(row, 28);
  record.completed_at = optional_time(row, 29);
  auto counts = parse_action_counts(row.get_text(30));
  if (!counts.ok()) return counts.status();
  record.action_counts = std::move(*counts);
  record.id = row.get_int(31);
  return record;
}

const std::string& insert_episode_sql(Backend backend) {
  return cached(backend, [](Backend b) {
    return insert_sql(b, "evaluation_episodes", kEpisodeColumns, kEpisodeColumns.size(), false);
  });
}

std::string select_episodes_sql(Backend backend) {
  return fmt::format(
      "SELECT {} FROM evaluation_episodes WHERE evaluation_id = {} ORDER BY episode_num",
      select_list(backend, kEpisodeColumns), placeholder(backend, 1));
}

SqlParams episode_params(std::int64_t evaluation_id, const EpisodeRecord& episode) {
  return {evaluation_id,
          std::int64_t{episode.episode_num},
          static_cast<std::int64_t>(episode.seed),
          episode.total_reward,
          episode.steps,
          std::int64_t{episode.success}};
}

EpisodeRecord read_episode(const Row& row) {
  return {.episode_num = static_cast<int>(row.get_int(1)),
          .seed = static_cast<std::uint64_t>(row.get_int(2)),
          .total_reward = row.get_double(3),
          .steps = row.get_int(4),
          .success = row.get_int(5) != 0};
}

std::string insert_baseline_sql(Backend backend) {
  return insert_sql(backend, "baselines", kBaselineColumns, kBaselineWritable, true);
}

std::string select_baselines_sql(Backend backend) {
  return fmt::format("SELECT {} FROM baselines WHERE agent_type = {} AND environment = {}",
                     select_list(backend, kBaselineColumns), placeholder(backend, 1),
                     placeholder(backend, 2));
}

SqlParams baseline_params(const BaselineRecord& record) {
  SqlParams params{record.agent_type, record.environment};
  add_metrics(record.metrics, params);
  params.insert(params.end(),
                {normalized_json(record.hyperparameters), std::int64_t{record.version},
                 std::int64_t{record.rank},
                 record.evaluation_id ? SqlValue(*record.evaluation_id) : SqlValue(),
                 core::to_micros(record.created_at), core::to_micros(record.updated_at)});
  return params;
}

core::Expected<BaselineRecord> read_baseline(const Row& row) {
  auto metrics = read_metrics(row, 2);
  if (!metrics.ok()) return metrics.status();
  return BaselineRecord{
      .id = row.get_int(18),
      .agent_type = row.get_text(0),
      .environment = row.get_text(1),
      .metrics = *metrics,
      .hyperparameters = normalized_json(row.get_text(12)),
      .version = static_cast<int>(row.get_int(13)),
      .rank = static_cast<int>(row.get_int(14)),
      .evaluation_id = row.is_null(15) ? std::nullopt : std::optional(row.get_int(15)),
      .created_at = core::from_micros(row.get_int(16)),
      .updated_at = core::from_micros(row.get_int(17)),
  };
}

ListSql list_evaluations_sql(Backend backend, const EvaluationQuery& query) {
  SqlParams filters;
  std::string where;
  auto add = [&](std::string_view column, std::string_view op, SqlValue value, Kind kind) {
    filters.push_back(std::move(value));
    const Column spec{column.data(), kind};
    where += fmt::format("{} {} {} {}", where.empty() ? " WHERE" : " AND", column, op,
                         value_sql(backend, spec, static_cast<int>(filters.size())));
  };
  if (query.agent_id) add("agent_id", "=", *query.agent_id, Kind::kPlain);
  if (query.agent_type) add("agent_type", "=", *query.agent_type, Kind::kPlain);
  if (query.environment) add("environment", "=", *query.environment, Kind::kPlain);
  if (query.status) add("status", "=", std::string(status_name(*query.status)), Kind::kPlain);
  if (query.created_since) {
    add("created_at", ">=", core::to_micros(*query.created_since), Kind::kTimestamp);
  }
  if (query.created_until) {
    add("created_at", "<", core::to_micros(*query.created_until), Kind::kTimestamp);
  }

  ListSql sql;
  const bool only_agent = query.agent_id && filters.size() == 1;
  if (filters.empty() || only_agent) {
    // The common pages (everything, one agent) read the trigger-kept count.
    sql.count_sql = fmt::format(
        "SELECT COALESCE((SELECT evaluations FROM evaluation_counts WHERE scope = {}), 0)",
        placeholder(backend, 1));
    sql.count_params = {only_agent ? "agent:" + *query.agent_id : std::string("all")};
  } else {
    sql.count_sql = fmt::format("SELECT COUNT(*) FROM evaluations{}", where);
    sql.count_params = filters;
  }
  // A deferred join: the page's ids come from the index alone (index-only scan), so rows skipped
  // by OFFSET are never read from the table; only the page's rows are.
  const int next = static_cast<int>(filters.size()) + 1;
  sql.page_sql = fmt::format(
      "{0} WHERE id IN (SELECT id FROM evaluations{1} ORDER BY created_at DESC, id DESC "
      "LIMIT {2} OFFSET {3}) ORDER BY created_at DESC, id DESC",
      select_evaluation_sql(backend), where, placeholder(backend, next),
      placeholder(backend, next + 1));
  // The page's ids drive a nested loop of primary-key lookups: no temporary table of ids, and no
  // sort of whole documents (the caller orders the page's few rows).
  sql.page_json_sql = fmt::format(
      "SELECT e.id, {0}, e.record_json FROM (SELECT id FROM evaluations{1} "
      "ORDER BY created_at DESC, id DESC LIMIT {2} OFFSET {3}) AS page "
      "JOIN evaluations AS e ON e.id = page.id",
      time_column(backend, "created_at"), where, placeholder(backend, next),
      placeholder(backend, next + 1));
  sql.page_params = std::move(filters);
  sql.page_params.emplace_back(std::int64_t{query.limit});
  sql.page_params.emplace_back(query.offset);
  return sql;
}

}  // namespace tars::store
