// GET /api/v1/environments: the catalogue with spaces and thresholds.
#include "tars/api/api.h"
#include "tars/api/auth_middleware.h"
#include "tars/env/spec_json.h"
#include "tars/eval/evaluator.h"

namespace tars::api {

void add_environment_routes(http::Router& router, ApiContext& context) {
  router.add(
      "GET", "/api/v1/environments", require(context.auth, auth::Role::kViewer, [](http::Request&) {
        nlohmann::json environments = nlohmann::json::array();
        for (const auto& registration : env::registrations()) {
          auto json = env::environment_json(registration);
          if (!json.ok()) return http::error_response(json.status());
          auto made = env::make(registration.id);
          if (!made.ok()) return http::error_response(made.status());
          // The return an evaluation episode needs to count as a success.
          auto success = eval::success_threshold((*made)->spec(), std::nullopt);
          (*json)["success_threshold"] = success.ok() ? nlohmann::json(*success) : nlohmann::json();
          environments.push_back(std::move(*json));
        }
        return http::Response::json(200, nlohmann::json{{"environments", environments}}.dump());
      }));
}

}  // namespace tars::api
