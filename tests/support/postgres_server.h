// A real PostgreSQL server for tests: initdb into a temporary directory, a random free port on
// loopback, run as `nobody` when the tests run as root (PostgreSQL refuses to run as root).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "temp_dir.h"

namespace tars::test {

class PostgresServer {
 public:
  // Creates the cluster and starts it; ok() tells whether that worked and error() why not.
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }

  // Creates an empty database and returns its URL.
  std::string create_database(const std::string& name);
  // Stops (fast shutdown: clients are disconnected) and starts the server on the same port.
  bool stop();
  bool start();

 private:
  // Runs a PostgreSQL program as the cluster's owner; true on exit status 0.
  bool run(const std::string& command) const;

  TempDir dir_;
  std::filesystem::path bin_;
  int port_ = 0;
  std::string error_;
};

}  // namespace tars::test
