#include "tars/api/api.h"

namespace tars::api {

void add_routes(http::Router& router, ApiContext& context) {
  add_health_routes(router, context);
  add_evaluation_routes(router, context);
  add_baseline_routes(router, context);
  add_environment_routes(router, context);
  add_auth_routes(router, context);
  add_admin_routes(router, context);
  add_agent_routes(router, context);
  add_orchestration_routes(router, context);
  add_telemetry_routes(router, context);
}

}  // namespace tars::api
