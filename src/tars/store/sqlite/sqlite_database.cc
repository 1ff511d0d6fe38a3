#include "tars/store/sqlite/sqlite_database.h"

#include <mutex>
#include <unordered_map>

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

// One connection used by one thread at a time; SQLite serialises writers anyway.
class SqliteEngine final : public SqlEngine {
 public:
  explicit SqliteEngine(std::unique_ptr<Connection> connection)
      : connection_(std::move(connection)) {}

  Backend backend() const override { return Backend::kSqlite; }

  core::Status transaction(const Work& work) override {
    std::lock_guard lock(mutex_);
    auto transaction = Transaction::begin(*connection_);
    if (!transaction.ok()) return transaction.status();
    SqliteSession session(*connection_, statements_);
    auto status = work(session);
    return status.ok() ? transaction->commit() : status;
  }

  core::Status without_transaction(const Work& work) override {
    std::lock_guard lock(mutex_);
    SqliteSession session(*connection_, statements_);
    return work(session);
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<Connection> connection_;
  std::unordered_map<std::string, Statement> statements_;  // finalized before the connection
};

}  // namespace

core::Expected<std::unique_ptr<Database>> open_sqlite(const SqliteOptions& options) {
  auto connection = sqlite::Connection::open(options.path, options.busy_timeout_ms);
  if (!connection.ok()) return connection.status();
  return make_sql_database(std::make_unique<SqliteEngine>(std::move(*connection)));
}

}  // namespace tars::store
