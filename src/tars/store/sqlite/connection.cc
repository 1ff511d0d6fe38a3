#include "tars/store/sqlite/connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <utility>

namespace tars::store::sqlite {
namespace {

core::Status sqlite_error(sqlite3* db, std::string_view what, std::string_view sql) {
  return core::io_error(fmt::format("sqlite: {}: {} (in: {})", what, sqlite3_errmsg(db), sql));
}

}  // namespace

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql)
    : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)) {}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

core::Expected<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return error("step");
}

core::Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row.ok()) return row.status();
    if (!*row) return {};
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::column_text(int column) const {
  return std::string(column_text_view(column));
}

std::string_view Statement::column_text_view(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<std::int64_t> Statement::column_optional_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int(column);
}

std::optional<double> Statement::column_optional_double(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_double(column);
}

core::Status Statement::error(std::string_view what) const { return sqlite_error(db_, what, sql_); }

core::Expected<std::unique_ptr<Connection>> Connection::open(const std::string& path,
                                                             int busy_timeout_ms, Access access) {
  sqlite3* db = nullptr;
  const bool read_only = access == Access::kReadOnly;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return core::io_error(fmt::format("sqlite: cannot open '{}': {}", path, message));
  }
  std::unique_ptr<Connection> connection(new Connection(db, path));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // WAL lets readers run while a writer commits; NORMAL sync is durable across process crashes;
  // a 64 MiB page cache keeps the evaluation indexes in memory while millions of rows arrive.
  // Readers share the file's WAL mode (set by the writer) and take a 16 MiB cache each.
  const char* setup = path == ":memory:" ? "PRAGMA foreign_keys = ON;"
                      : read_only        ? "PRAGMA cache_size = -16384;"
                                  : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                    "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;";
  if (auto status = connection->exec(setup); !status.ok()) {
    return core::io_error(fmt::format("sqlite: cannot use '{}': {}", path, status.message()));
  }
  return connection;
}

Connection::~Connection() { sqlite3_close(db_); }

core::Expected<Statement> Connection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return sqlite_error(db_, "prepare", sql);
  }
  return Statement(db_, stmt, std::string(sql));
}

core::Status Connection::exec(std::string_view sql) {
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return sqlite_error(db_, "exec", sql);
  }
  return {};
}

std::int64_t Connection::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

core::Expected<Transaction> Transaction::begin(Connection& connection, const char* begin) {
  if (auto status = connection.exec(begin); !status.ok()) return status;
  return Transaction(&connection);
}

Transaction::~Transaction() {
  if (connection_ != nullptr) (void)connection_->exec("ROLLBACK");
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

core::Status Transaction::commit() {
  auto status = connection_->exec("COMMIT");
  if (status.ok()) connection_ = nullptr;
  return status;
}

}  // namespace tars::store::sqlite
