// What the repositories need from a SQL backend: transactions on one connection that run
// statements and read rows. SQLite and PostgreSQL each implement it; the repository logic
// (sql_database.cc) is written once on top.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "tars/core/status.h"
#include "tars/store/repository.h"
#include "tars/store/sql_codec.h"

namespace tars::store {

// Statements inside one transaction (or, for non-transactional migrations, on one connection).
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  using RowCallback = std::function<core::Status(const Row&)>;

  virtual core::Status execute(const std::string& sql, const SqlParams& params = {}) = 0;
  // Calls on_row for each row; stops at the first error it returns.
  virtual core::Status query(const std::string& sql, const SqlParams& params,
                             const RowCallback& on_row) = 0;
  // Runs an INSERT of the codec (PostgreSQL's ends in RETURNING id) and returns the new id.
  virtual core::Expected<std::int64_t> insert(const std::string& sql, const SqlParams& params) = 0;
  // Runs a script of several statements without parameters.
  virtual core::Status execute_script(const std::string& sql) = 0;
};

class SqlEngine {
 public:
  virtual ~SqlEngine() = default;
  using Work = std::function<core::Status(SqlSession&)>;

  virtual Backend backend() const = 0;
  // Runs `work` in a read-write transaction: committed when it returns ok, rolled back otherwise.
  virtual core::Status transaction(const Work& work) = 0;
  // Runs `work`, which only reads, on one consistent snapshot; read transactions may run
  // concurrently with each other and with a writer.
  virtual core::Status read_transaction(const Work& work) = 0;
  // Runs `work` in autocommit mode (each statement on its own).
  virtual core::Status without_transaction(const Work& work) = 0;
};

// The repositories and migrations over an engine; `migrations` are the backend's files.
std::unique_ptr<Database> make_sql_database(std::unique_ptr<SqlEngine> engine);

}  // namespace tars::store
