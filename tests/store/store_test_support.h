// Opens a fresh, migrated database of either backend for a test: a SQLite file in a temporary
// directory, or a new database on the shared PostgreSQL server that the tests start.
#pragma once

#include <memory>
#include <string>

#include "postgres_server.h"
#include "tars/store/repository.h"
#include "temp_dir.h"

namespace tars::test {

// One server for the whole test binary, started on first use and stopped at exit.
PostgresServer& shared_postgres();

// A new empty PostgreSQL database on the shared server; its URL.
std::string fresh_postgres_url();

struct TestDatabase {
  std::unique_ptr<TempDir> dir;  // holds the SQLite file
  std::string url;               // the PostgreSQL database's URL
  std::unique_ptr<store::Database> database;
  std::string error;  // why opening or migrating failed
};

// backend: "sqlite" or "postgresql".
TestDatabase open_test_database(const std::string& backend);

}  // namespace tars::test
