// Opens the database a URL names: the one place that knows the concrete backends.
#pragma once

#include <memory>
#include <string>

#include "tars/core/config.h"
#include "tars/core/status.h"
#include "tars/store/repository.h"

namespace tars::app {

struct DatabaseSettings {
  std::string url = "sqlite:///tars.db";
  int pool_size = 20;  // PostgreSQL only
  int query_timeout_seconds = 30;
};

// The store keys of a resolved configuration.
DatabaseSettings database_settings(const core::Config& config);

// sqlite:///relative/path, sqlite:////absolute/path, sqlite://:memory:, postgresql://... or
// postgres://... ; anything else is an error naming the accepted forms.
core::Expected<std::unique_ptr<store::Database>> open_database(const DatabaseSettings& settings);

// open_database, then every pending migration.
core::Expected<std::unique_ptr<store::Database>> open_migrated_database(
    const DatabaseSettings& settings);

}  // namespace tars::app
