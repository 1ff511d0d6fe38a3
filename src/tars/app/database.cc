#include "tars/app/database.h"

#include <fmt/format.h>

#include "tars/store/config_keys.h"
#include "tars/store/postgres/postgres_database.h"
#include "tars/store/sqlite/sqlite_database.h"

namespace tars::app {

DatabaseSettings database_settings(const core::Config& config) {
  return {.url = config.get_string(store::kDatabaseUrlKey),
          .pool_size = static_cast<int>(config.get_int(store::kDbPoolSizeKey)),
          .query_timeout_seconds = static_cast<int>(config.get_int(store::kDbQueryTimeoutKey))};
}

core::Expected<std::unique_ptr<store::Database>> open_database(const DatabaseSettings& settings) {
  const std::string& url = settings.url;
  const int timeout_ms = settings.query_timeout_seconds * 1000;
  if (url.starts_with("sqlite://")) {
    std::string path = url.substr(std::string_view("sqlite://").size());
    if (path.starts_with('/')) path.erase(0, 1);  // sqlite:///a -> "a", sqlite:////a -> "/a"
    if (path.empty()) {
      return core::invalid_argument(
          fmt::format("database_url '{}' names no file (e.g. sqlite:///tars.db)", url));
    }
    return store::open_sqlite({.path = path, .busy_timeout_ms = timeout_ms});
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return store::open_postgres(
        {.url = url, .pool_size = settings.pool_size, .query_timeout_ms = timeout_ms});
  }
  return core::invalid_argument(
      fmt::format("database_url '{}' is not supported: use sqlite:///path/to/file.db or "
                  "postgresql://user:password@host:port/dbname",
                  url));
}

core::Expected<std::unique_ptr<store::Database>> open_migrated_database(
    const DatabaseSettings& settings) {
  auto database = open_database(settings);
  if (!database.ok()) return database;
  if (auto applied = (*database)->migrate(); !applied.ok()) return applied.status();
  return database;
}

}  // namespace tars::app
