// A fixed-size pool of libpqxx connections. Included only by the PostgreSQL backend's sources:
// it pulls in libpqxx.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <unordered_set>
#include <vector>

#include "tars/core/status.h"
#include "tars/store/postgres/postgres_database.h"
#include "tars/store/sql_codec.h"

namespace tars::store::postgres {

// A connection and the statements already prepared on it.
struct PooledConnection {
  std::unique_ptr<pqxx::connection> connection;
  std::unordered_set<std::string> prepared;

  // Prepares `sql` on first use and returns its statement name.
  const std::string& statement(const std::string& sql);
};

class Pool {
 public:
  explicit Pool(PostgresOptions options) : options_(std::move(options)) {}

  // Runs `work` with a connection. A broken connection is replaced and `work` retried, with
  // backoff, up to options.reconnect_attempts times (work runs in a transaction that the server
  // rolled back, so retrying cannot apply it twice). Every other exception becomes an error.
  core::Status run(const std::function<void(PooledConnection&)>& work);

 private:
  core::Expected<std::unique_ptr<PooledConnection>> acquire();
  void release(std::unique_ptr<PooledConnection> connection);
  core::Expected<std::unique_ptr<PooledConnection>> connect();

  PostgresOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PooledConnection>> idle_;
  int open_ = 0;  // connections lent out or idle
};

// Parameters as libpq wants them: text, or a null pointer for NULL.
class TextParams {
 public:
  explicit TextParams(const SqlParams& params);
  const std::vector<const char*>& pointers() const { return pointers_; }

 private:
  std::vector<std::string> texts_;
  std::vector<const char*> pointers_;
};

// Runs a prepared statement with parameters.
pqxx::result exec(pqxx::transaction_base& transaction, PooledConnection& connection,
                  const std::string& sql, const SqlParams& params = {});

class ResultRow final : public Row {
 public:
  explicit ResultRow(const pqxx::row& row) : row_(row) {}
  bool is_null(int column) const override { return row_[column].is_null(); }
  std::int64_t get_int(int column) const override;
  double get_double(int column) const override { return row_[column].as<double>(); }
  std::string get_text(int column) const override { return std::string(get_text_view(column)); }
  std::string_view get_text_view(int column) const override {
    return {row_[column].c_str(), row_[column].size()};
  }

 private:
  const pqxx::row& row_;
};

}  // namespace tars::store::postgres
