// The REST API: one controller per resource, all registered on one router.
#pragma once

#include <chrono>

#include "tars/auth/auth_service.h"
#include "tars/bus/cache.h"
#include "tars/eval/runner.h"
#include "tars/http/live_hub.h"
#include "tars/http/router.h"
#include "tars/marl/orchestrator.h"
#include "tars/store/repository.h"

namespace tars::obs {
class Registry;
}  // namespace tars::obs

namespace tars::api {

// What the controllers work with; everything must outlive the router.
struct ApiContext {
  store::Database& database;
  eval::EvaluationRunner& runner;
  http::LiveHub& hub;
  bus::Cache& cache;
  auth::AuthService& auth;
  int default_limit = store::kDefaultListLimit;            // DB_QUERY_DEFAULT_LIMIT
  std::chrono::milliseconds evaluations_cache_ttl{60000};  // REDIS_CACHE_TTL_EVALUATIONS
  // The multi-agent orchestrator, when this process runs it; external: driven over
  // POST /api/v1/orchestration/step instead of stepping ops_sim itself.
  marl::Orchestrator* orchestrator = nullptr;
  bool orchestrator_external = false;
  obs::Registry* metrics = nullptr;  // the registry GET /metrics renders (browser telemetry)
};

void add_health_routes(http::Router& router, ApiContext& context);
void add_evaluation_routes(http::Router& router, ApiContext& context);
void add_baseline_routes(http::Router& router, ApiContext& context);
void add_environment_routes(http::Router& router, ApiContext& context);
void add_auth_routes(http::Router& router, ApiContext& context);
void add_admin_routes(http::Router& router, ApiContext& context);
void add_agent_routes(http::Router& router, ApiContext& context);
void add_orchestration_routes(http::Router& router, ApiContext& context);
void add_telemetry_routes(http::Router& router, ApiContext& context);

// Every route above.
void add_routes(http::Router& router, ApiContext& context);

// Forwards the runner's events to the evaluation.updates channel and drops the cached lists
// they make stale. Install as the runner's listener.
void on_evaluation_event(ApiContext& context, const eval::EvaluationEvent& event);

}  // namespace tars::api
