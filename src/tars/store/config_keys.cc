#include "tars/store/config_keys.h"

#include <string>

#include "tars/store/repository.h"

namespace tars::store {

std::vector<core::ConfigKey> store_config_keys() {
  return {
      core::string_key(std::string(kDatabaseUrlKey), "sqlite:///tars.db",
                       "Database: sqlite:///relative/path, sqlite:////absolute/path or "
                       "postgresql://user:password@host:port/dbname")
          .with_env("TARS_DATABASE_URL"),
      core::int_key(std::string(kDbPoolSizeKey), 20, "PostgreSQL connections in the pool", 1, 1000),
      core::int_key(std::string(kDbQueryTimeoutKey), 30,
                    "Seconds a database statement may run (PostgreSQL statement_timeout, SQLite "
                    "busy timeout)",
                    1, 3600),
      core::int_key(std::string(kDbQueryDefaultLimitKey), kDefaultListLimit,
                    "Rows per page of a list query when the caller gives no limit", 1,
                    kMaxListLimit),
  };
}

}  // namespace tars::store
