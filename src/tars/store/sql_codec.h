// SQL text and record <-> column mapping shared by the SQLite and PostgreSQL backends, so the
// schema's column order is written down once. Each backend only binds values and reads rows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tars/store/records.h"
#include "tars/store/repository.h"

namespace tars::store {

enum class Backend { kSqlite, kPostgres };

// A bound parameter: NULL, integer, real or text (JSON and booleans travel as text / 0-1).
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

// One result row, columns numbered from 0.
class Row {
 public:
  virtual ~Row() = default;
  virtual bool is_null(int column) const = 0;
  virtual std::int64_t get_int(int column) const = 0;  // booleans read as 0 / 1
  virtual double get_double(int column) const = 0;
  virtual std::string get_text(int column) const = 0;
  // The text without a copy, valid until the next row.
  virtual std::string_view get_text_view(int column) const = 0;
};

// "?3" or "$3".
std::string placeholder(Backend backend, int number);
// Parameter `number`, microseconds since the epoch, as a timestamp column's value (PostgreSQL
// keeps TIMESTAMPTZ; both backends exchange microseconds).
std::string time_param(Backend backend, int number);
// A timestamp column selected as microseconds since the epoch, under its own name.
std::string time_column(Backend backend, std::string_view column);

// INSERT of every column but id; PostgreSQL appends "RETURNING id". Writes also store the
// record's evaluation_document (record_json.h) in record_json, which lists serve as is.
const std::string& insert_evaluation_sql(Backend backend);
// UPDATE of every column but id, "WHERE id = <last parameter>".
std::string update_evaluation_sql(Backend backend);
// SELECT every column of the record, then id (not record_json), FROM evaluations (no WHERE).
std::string select_evaluation_sql(Backend backend);
SqlParams evaluation_params(const EvaluationRecord& record);
// Reads a row of select_evaluation_sql(); the error names a column holding an unknown value.
core::Expected<EvaluationRecord> read_evaluation(const Row& row);

const std::string& insert_episode_sql(Backend backend);
std::string select_episodes_sql(Backend backend);  // WHERE evaluation_id = first parameter
SqlParams episode_params(std::int64_t evaluation_id, const EpisodeRecord& episode);
EpisodeRecord read_episode(const Row& row);

// INSERT of every column but id; PostgreSQL appends "RETURNING id".
std::string insert_baseline_sql(Backend backend);
// SELECT id and every column FROM baselines WHERE agent_type = $1 AND environment = $2.
std::string select_baselines_sql(Backend backend);
SqlParams baseline_params(const BaselineRecord& record);
core::Expected<BaselineRecord> read_baseline(const Row& row);

// The list query: rows matching the filters (count) and one page of them, as records or as
// (id, created_at, record_json) for lists served as JSON.
struct ListSql {
  std::string count_sql;
  std::string page_sql;
  std::string page_json_sql;  // id, created_at, record_json of the page's rows, in no order
  SqlParams count_params;
  SqlParams page_params;  // count_params then limit and offset
};
ListSql list_evaluations_sql(Backend backend, const EvaluationQuery& query);

}  // namespace tars::store
