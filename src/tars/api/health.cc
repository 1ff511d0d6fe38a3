// GET /health (the process answers) and GET /ready (the database answers and is migrated).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "tars/api/api.h"

namespace tars::api {

void add_health_routes(http::Router& router, ApiContext& context) {
  router.add("GET", "/health",
             [](http::Request&) { return http::Response::json(200, R"({"status":"ok"})"); });
  router.add("GET", "/ready", [&context](http::Request&) {
    auto& database = context.database;
    if (auto status = database.ping(); !status.ok()) {
      return http::error_response(503, "not_ready", "database: " + status.message());
    }
    auto migrations = database.migrations();
    if (!migrations.ok()) {
      return http::error_response(503, "not_ready", "database: " + migrations.status().message());
    }
    for (const auto& migration : *migrations) {
      if (!migration.applied_at) {
        return http::error_response(503, "not_ready",
                                    fmt::format("migration {} is not applied", migration.name));
      }
    }
    return http::Response::json(200, nlohmann::json{{"status", "ready"},
                                                    {"database", database.backend()},
                                                    {"migrations", migrations->size()}}
                                         .dump());
  });
}

}  // namespace tars::api
