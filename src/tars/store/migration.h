// Numbered schema migrations, compiled in from migrations/<backend>/NNNN_name.sql.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/time.h"
#include "tars/store/repository.h"

namespace tars::store {

// A file whose first line is this comment runs outside a transaction, statement by statement
// (PostgreSQL's CREATE INDEX CONCURRENTLY refuses to run inside one).
inline constexpr std::string_view kNoTransactionMarker = "-- tars:no-transaction";

struct Migration {
  int version = 0;
  std::string name;  // "0001_evaluations"
  std::string sql;

  bool transactional() const { return !sql.starts_with(kNoTransactionMarker); }
};

// The statements of a script: split after each ';' that ends a line, comments and blanks dropped.
std::vector<std::string> split_statements(std::string_view sql);

// The migrations whose version is not in `applied`, in version order.
std::vector<Migration> pending_migrations(const std::vector<Migration>& all,
                                          const std::map<int, core::Timestamp>& applied);
// Every migration with its applied time, if any.
std::vector<MigrationInfo> migration_infos(const std::vector<Migration>& all,
                                           const std::map<int, core::Timestamp>& applied);

std::vector<Migration> sqlite_migrations();
std::vector<Migration> postgres_migrations();

}  // namespace tars::store
