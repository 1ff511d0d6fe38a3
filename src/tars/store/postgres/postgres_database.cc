#include "tars/store/postgres/postgres_database.h"

#include "tars/store/postgres/pool.h"
#include "tars/store/sql_engine.h"

namespace tars::store {
namespace {

using postgres::PooledConnection;

class PostgresSession final : public SqlSession {
 public:
  PostgresSession(pqxx::transaction_base& transaction, PooledConnection& connection)
      : transaction_(transaction), connection_(connection) {}

  core::Status execute(const std::string& sql, const SqlParams& params) override {
    postgres::exec(transaction_, connection_, sql, params);
    return {};
  }

  core::Status query(const std::string& sql, const SqlParams& params,
                     const RowCallback& on_row) override {
    const auto result = postgres::exec(transaction_, connection_, sql, params);
    for (const auto& row : result) {
      if (auto status = on_row(postgres::ResultRow(row)); !status.ok()) return status;
    }
    return {};
  }

  core::Expected<std::int64_t> insert(const std::string& sql, const SqlParams& params) override {
    return postgres::exec(transaction_, connection_, sql, params)[0][0].as<std::int64_t>();
  }

  core::Status execute_script(const std::string& sql) override {
    transaction_.exec(sql);
    return {};
  }

 private:
  pqxx::transaction_base& transaction_;
  PooledConnection& connection_;
};

// libpqxx reports errors by exception; Pool::run turns them into Status (and retries after a
// broken connection), so a work function's Status is carried out through `result`.
class PostgresEngine final : public SqlEngine {
 public:
  explicit PostgresEngine(const PostgresOptions& options) : pool_(options) {}

  Backend backend() const override { return Backend::kPostgres; }

  core::Status transaction(const Work& work) override { return run<pqxx::work>(work); }
  core::Status read_transaction(const Work& work) override {
    return run<pqxx::read_transaction>(work);
  }
  core::Status without_transaction(const Work& work) override {
    return run<pqxx::nontransaction>(work);
  }

 private:
  template <typename Transaction>
  core::Status run(const Work& work) {
    core::Status result;
    auto status = pool_.run([&](PooledConnection& connection) {
      Transaction transaction(*connection.connection);
      PostgresSession session(transaction, connection);
      result = work(session);
      if (result.ok()) transaction.commit();  // otherwise the destructor rolls back
    });
    return status.ok() ? result : status;
  }

  postgres::Pool pool_;
};

}  // namespace

core::Expected<std::unique_ptr<Database>> open_postgres(const PostgresOptions& options) {
  auto database = make_sql_database(std::make_unique<PostgresEngine>(options));
  if (auto status = database->ping(); !status.ok()) return status;
  return database;
}

}  // namespace tars::store
