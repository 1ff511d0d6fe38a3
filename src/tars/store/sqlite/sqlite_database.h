// The embedded backend: one SQLite file (WAL, busy timeout), the default `sqlite:///./tars.db`.
#pragma once

#include <memory>
#include <string>

#include "tars/core/status.h"
#include "tars/store/repository.h"

namespace tars::store {

struct SqliteOptions {
  std::string path = "tars.db";  // ":memory:" for a private in-memory database
  int busy_timeout_ms = 30000;   // how long a writer waits for another's lock (DB_QUERY_TIMEOUT)
};

core::Expected<std::unique_ptr<Database>> open_sqlite(const SqliteOptions& options);

}  // namespace tars::store
