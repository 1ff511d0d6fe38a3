#include "store/store_test_support.h"

#include <atomic>

#include "tars/store/postgres/postgres_database.h"
#include "tars/store/sqlite/sqlite_database.h"

namespace tars::test {

PostgresServer& shared_postgres() {
  static PostgresServer server;
  return server;
}

std::string fresh_postgres_url() {
  static std::atomic<int> counter{0};
  auto& server = shared_postgres();
  if (!server.ok()) return {};
  return server.create_database("tars_test_" + std::to_string(counter++));
}

TestDatabase open_test_database(const std::string& backend) {
  TestDatabase result;
  core::Expected<std::unique_ptr<store::Database>> opened =
      core::invalid_argument("unknown backend " + backend);
  if (backend == "sqlite") {
    result.dir = std::make_unique<TempDir>();
    opened = store::open_sqlite({.path = (result.dir->path() / "tars.db").string()});
  } else if (backend == "postgresql") {
    result.url = fresh_postgres_url();
    if (result.url.empty()) {
      result.error = "no PostgreSQL server: " + shared_postgres().error();
      return result;
    }
    opened = store::open_postgres({.url = result.url, .pool_size = 8});
  }
  if (!opened.ok()) {
    result.error = opened.status().to_string();
    return result;
  }
  result.database = std::move(*opened);
  if (auto applied = result.database->migrate(); !applied.ok()) {
    result.error = applied.status().to_string();
  }
  return result;
}

}  // namespace tars::test
