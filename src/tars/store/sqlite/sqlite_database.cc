#include "tars/store/sqlite/sqlite_database.h"

#include <mutex>
#include <unordered_map>
#include <vector>

#include "tars/store/sql_engine.h"
#include "tars/store/sqlite/connection.h"

namespace tars::store {
namespace {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

class StatementRow final : public Row {
 public:
  explicit StatementRow(const Statement& statement) : statement_(statement) {}
  bool is_null(int column) const override { return statement_.is_null(column); }
  std::int64_t get_int(int column) const override { return statement_.column_int(column); }
  double get_double(int column) const override { return statement_.column_double(column); }
  std::string get_text(int column) const override { return statement_.column_text(column); }
  std::string_view get_text_view(int column) const override {
    return statement_.column_text_view(column);
  }

 private:
  const Statement& statement_;
};

// Statements are prepared once per connection and reused (the seed command inserts millions).
class SqliteSession final : public SqlSession {
 public:
  explicit SqliteSession(Connection& connection,
                         std::unordered_map<std::string, Statement>& statements)
      : connection_(connection), statements_(statements) {}

  core::Status execute(const std::string& sql, const SqlParams& params) override {
    return query(sql, params, [](const Row&) { return core::Status(); });
  }

  core::Status query(const std::string& sql, const SqlParams& params,
                     const RowCallback& on_row) override {
    auto statement = bound(sql, params);
    if (!statement.ok()) return statement.status();
    Statement& running = **statement;
    core::Status status;
    for (;;) {
      auto has_row = running.step();
      if (!has_row.ok() || !*has_row) {
        status = has_row.status();
        break;
      }
      if (status = on_row(StatementRow(running)); !status.ok()) break;
    }
    running.reset();
    return status;
  }

  core::Expected<std::int64_t> insert(const std::string& sql, const SqlParams& params) override {
    if (auto status = execute(sql, params); !status.ok()) return status;
    return connection_.last_insert_id();
  }

  core::Status execute_script(const std::string& sql) override { return connection_.exec(sql); }

 private:
  core::Expected<Statement*> bound(const std::string& sql, const SqlParams& params) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      auto statement = connection_.prepare(sql);
      if (!statement.ok()) return statement.status();
      it = statements_.emplace(sql, std::move(*statement)).first;
    }
    Statement& statement = it->second;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      std::visit(
          [&](const auto& value) {
            if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::monostate>) {
              statement.bind_null(index);
            } else {
              statement.bind(index, value);
            }
          },
          params[i]);
    }
    return &statement;
  }

  Connection& connection_;
  std::unordered_map<std::string, Statement>& statements_;
};

// A connection with the statements prepared on it (finalized before the connection closes).
struct PreparedConnection {
  std::unique_ptr<Connection> connection;
  std::unordered_map<std::string, Statement> statements = {};
};

// Writes go through one connection (SQLite serialises writers anyway). Reads of a file database
// run on a pool of read-only connections, so requests on different threads do not queue behind
// each other; WAL gives each its own snapshot while the writer commits.
class SqliteEngine final : public SqlEngine {
 public:
  SqliteEngine(std::unique_ptr<Connection> connection, SqliteOptions options)
      : writer_{std::move(connection)}, options_(std::move(options)) {}

  Backend backend() const override { return Backend::kSqlite; }

  core::Status transaction(const Work& work) override {
    std::lock_guard lock(writer_mutex_);
    return in_transaction(writer_, "BEGIN IMMEDIATE", work);
  }

  core::Status read_transaction(const Work& work) override {
    if (options_.path == ":memory:") return transaction(work);  // one connection per database
    auto reader = acquire_reader();
    if (!reader.ok()) return reader.status();
    auto status = in_transaction(**reader, "BEGIN", work);
    release_reader(std::move(*reader));
    return status;
  }

  core::Status without_transaction(const Work& work) override {
    std::lock_guard lock(writer_mutex_);
    SqliteSession session(*writer_.connection, writer_.statements);
    return work(session);
  }

 private:
  static core::Status in_transaction(PreparedConnection& prepared, const char* begin,
                                     const Work& work) {
    auto transaction = Transaction::begin(*prepared.connection, begin);
    if (!transaction.ok()) return transaction.status();
    SqliteSession session(*prepared.connection, prepared.statements);
    auto status = work(session);
    return status.ok() ? transaction->commit() : status;
  }

  core::Expected<std::unique_ptr<PreparedConnection>> acquire_reader() {
    {
      std::lock_guard lock(readers_mutex_);
      if (!idle_readers_.empty()) {
        auto reader = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return reader;
      }
    }
    auto connection =
        Connection::open(options_.path, options_.busy_timeout_ms, sqlite::Access::kReadOnly);
    if (!connection.ok()) return connection.status();
    return std::make_unique<PreparedConnection>(PreparedConnection{std::move(*connection)});
  }

  // Idle readers are kept up to kMaxIdleReaders; more only exist while a burst lasts.
  void release_reader(std::unique_ptr<PreparedConnection> reader) {
    std::lock_guard lock(readers_mutex_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
  }

  static constexpr std::size_t kMaxIdleReaders = 8;

  std::mutex writer_mutex_;
  PreparedConnection writer_;
  SqliteOptions options_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<PreparedConnection>> idle_readers_;
};

}  // namespace

core::Expected<std::unique_ptr<Database>> open_sqlite(const SqliteOptions& options) {
  auto connection = sqlite::Connection::open(options.path, options.busy_timeout_ms);
  if (!connection.ok()) return connection.status();
  return make_sql_database(std::make_unique<SqliteEngine>(std::move(*connection), options));
}

}  // namespace tars::store
