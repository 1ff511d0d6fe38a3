// The production backend: PostgreSQL 15 through libpqxx, with a connection pool, a statement
// timeout on every connection, prepared statements and reconnection with backoff.
#pragma once

#include <memory>
#include <string>

#include "tars/core/status.h"
#include "tars/store/repository.h"

namespace tars::store {

struct PostgresOptions {
  std::string url;               // "postgresql://user:password@host:port/dbname?..."
  int pool_size = 20;            // DB_POOL_SIZE: connections opened on demand, at most this many
  int query_timeout_ms = 30000;  // DB_QUERY_TIMEOUT: statement_timeout of every connection
  int reconnect_attempts = 4;    // after a broken connection, with backoff 100, 200, 400 ms...
};

// Connects once to check the URL and the server; errors name the server's complaint.
core::Expected<std::unique_ptr<Database>> open_postgres(const PostgresOptions& options);

}  // namespace tars::store
