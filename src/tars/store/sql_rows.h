// Helpers of the repositories written over SqlEngine: reading rows, and timestamps as
// microseconds since the epoch on both backends (PostgreSQL keeps TIMESTAMPTZ).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tars/store/sql_engine.h"

namespace tars::store {

// Every row of a query, read with `read` (returning T or Expected<T>).
template <typename T, typename Read>
core::Status query_rows(SqlSession& session, const std::string& sql, const SqlParams& params,
                        Read read, std::vector<T>& out) {
  return session.query(sql, params, [&](const Row& row) {
    core::Expected<T> value = read(row);
    if (!value.ok()) return value.status();
    out.push_back(std::move(*value));
    return core::Status();
  });
}

// The single integer a query returns.
inline core::Status query_int(SqlSession& session, const std::string& sql, const SqlParams& params,
                              std::int64_t& out) {
  std::vector<std::int64_t> values;
  auto status = query_rows<std::int64_t>(
      session, sql, params, [](const Row& row) { return row.get_int(0); }, values);
  if (status.ok() && values.size() != 1) {
    return core::Status(core::ErrorCode::kInternal, fmt::format("expected one row from: {}", sql));
  }
  if (status.ok()) out = values.front();
  return status;
}

// Every row of one query, run in its own transaction.
template <typename T, typename Read>
core::Expected<std::vector<T>> select_rows(SqlEngine& engine, const std::string& sql,
                                           const SqlParams& params, Read read) {
  std::vector<T> rows;
  auto status = engine.transaction(
      [&](SqlSession& session) { return query_rows<T>(session, sql, params, read, rows); });
  if (!status.ok()) return status;
  return rows;
}

// The first row of one query, run in its own transaction; nullopt when there is none.
template <typename T, typename Read>
core::Expected<std::optional<T>> select_first(SqlEngine& engine, const std::string& sql,
                                              const SqlParams& params, Read read) {
  auto rows = select_rows<T>(engine, sql, params, read);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows->front()));
}

// The id column of a row (RETURNING id).
inline std::int64_t read_id(const Row& row) { return row.get_int(0); }

inline SqlValue optional_micros(const std::optional<core::Timestamp>& value) {
  return value ? SqlValue(core::to_micros(*value)) : SqlValue();
}

inline std::optional<core::Timestamp> optional_timestamp(const Row& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return core::from_micros(row.get_int(column));
}

}  // namespace tars::store
