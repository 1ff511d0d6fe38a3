// A thin RAII layer over the SQLite C API: one connection, prepared statements, transactions.
// Errors come back as Status with SQLite's own message and the statement that failed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tars/core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tars::store::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;

  // Parameters are numbered from 1, as in "?1".
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // True when a row is available, false when done; an error otherwise.
  core::Expected<bool> step();
  // Runs to completion (for statements that return no rows).
  core::Status run();
  // Clears bindings and rewinds, to run again.
  void reset();

  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::string_view column_text_view(int column) const;  // valid until the next step
  std::optional<std::int64_t> column_optional_int(int column) const;
  std::optional<double> column_optional_double(int column) const;

 private:
  core::Status error(std::string_view what) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
};

enum class Access { kReadWrite, kReadOnly };

// Not thread-safe (SQLite's multi-thread mode): one thread at a time uses a connection.
class Connection {
 public:
  // Opens (creating if needed) the database file with WAL journaling, a busy timeout and
  // foreign keys on. ":memory:" opens a private in-memory database. kReadOnly connections read
  // an existing file (concurrently with others) and keep a smaller page cache.
  static core::Expected<std::unique_ptr<Connection>> open(const std::string& path,
                                                          int busy_timeout_ms,
                                                          Access access = Access::kReadWrite);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  core::Expected<Statement> prepare(std::string_view sql);
  // Runs one or more statements that return no rows.
  core::Status exec(std::string_view sql);
  std::int64_t last_insert_id() const;
  const std::string& path() const { return path_; }

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
};

// `begin` on construction, ROLLBACK on destruction unless committed. Writers use BEGIN IMMEDIATE
// (taking the write lock at once, so two writers wait on the busy timeout instead of failing on
// upgrade); readers a plain BEGIN, whose snapshot starts at their first read.
class Transaction {
 public:
  static core::Expected<Transaction> begin(Connection& connection,
                                           const char* begin = "BEGIN IMMEDIATE");
  ~Transaction();
  Transaction(Transaction&& other) noexcept;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;

  core::Status commit();

 private:
  explicit Transaction(Connection* connection) : connection_(connection) {}

  Connection* connection_;  // null once committed or moved from
};

}  // namespace tars::store::sqlite
