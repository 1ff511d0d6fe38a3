// /api/v1/agents: the orchestrator's four agents, their per-episode history and live
// hyperparameter changes (hot and warm ones; cold ones are refused with 409).
#include <fmt/format.h>

#include "tars/api/api.h"
#include "tars/api/auth_middleware.h"
#include "tars/api/orchestration_json.h"
#include "tars/api/params.h"
#include "tars/marl/team.h"
#include "tars/store/agent_history.h"

namespace tars::api {

namespace {

http::Response orchestrator_not_running() {
  return http::error_response(503, "unavailable", "the orchestrator is not running");
}

nlohmann::json full_agent_json(const marl::Orchestrator& orchestrator, env::OpsAgent agent) {
  nlohmann::json json = agent_json(orchestrator.agent(agent));
  json["hyperparameters"] = hyperparameters_json(orchestrator.hyperparameters(agent));
  return json;
}

// Each value on its own first, so that the error names the hyperparameter.
std::optional<ParamError> check_assignment(const rl::Hyperparameters& current,
                                           const std::string& name, const std::string& value) {
  const std::string field = "values." + name;
  rl::Hyperparameters changed = current;
  if (core::Status status = changed.set(name, value); !status.ok()) {
    return ParamError{status.code() == core::ErrorCode::kNotFound
                          ? core::invalid_argument(status.message())
                          : status,
                      field};
  }
  const rl::HyperparameterSpec* spec = changed.find(name);
  if (spec->reload == rl::ReloadClass::kCold && changed.text(name) != current.text(name)) {
    return ParamError{core::failed_precondition(fmt::format(
                          "hyperparameter '{}' is cold (network or buffer shape): it needs a "
                          "new agent and cannot change while the orchestrator runs",
                          name)),
                      field};
  }
  return std::nullopt;
}

http::Response set_hyperparameters(ApiContext& context, const http::Request& request,
                                   env::OpsAgent agent) {
  nlohmann::json body;
  if (auto error = parse_body(request, {"values"}, body)) return error->response();
  const auto values = body.find("values");
  if (values == body.end() || !values->is_object() || values->empty()) {
    return http::error_response(
        core::invalid_argument("values: expected an object of hyperparameter names to values"),
        "values");
  }
  marl::Assignments assignments;
  const rl::Hyperparameters current = context.orchestrator->hyperparameters(agent);
  for (const auto& [name, value] : values->items()) {
    // Values may be sent as JSON numbers or booleans; the schema parses their text.
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (auto error = check_assignment(current, name, text)) return error->response();
    assignments.emplace_back(name, text);
  }
  const auth::Principal principal = principal_of(request);
  const core::Status status = context.orchestrator->set_hyperparameters(agent, assignments);
  context.auth.write_audit(
      {.actor = auth::audit_actor(principal),
       .action = "agent.hyperparameters",
       .target = fmt::format("agent:{}", env::ops_agent_spec(agent).name),
       .outcome = status.ok() ? store::AuditOutcome::kSuccess : store::AuditOutcome::kFailure,
       .client_ip = request.client_ip,
       .details = nlohmann::json{{"values", *values}}.dump()});
  if (!status.ok()) return http::error_response(status);
  return http::Response::json(200, full_agent_json(*context.orchestrator, agent).dump());
}

http::Response history(ApiContext& context, const http::Request& request, env::OpsAgent agent) {
  if (auto error = check_known(request, {"limit", "offset"})) return error->response();
  std::int64_t limit = context.default_limit;
  std::int64_t offset = 0;
  if (auto error = read_int(request, "limit", 1, store::kMaxListLimit, limit)) {
    return error->response();
  }
  if (auto error =
          read_int(request, "offset", 0, std::numeric_limits<std::int64_t>::max(), offset)) {
    return error->response();
  }
  auto page = context.database.agent_history().list(
      {.agent_id = std::string(env::ops_agent_spec(agent).name),
       .limit = static_cast<int>(limit),
       .offset = offset});
  if (!page.ok()) return http::error_response(page.status());
  nlohmann::json entries = nlohmann::json::array();
  for (const store::AgentEpisodeRecord& record : page->entries) {
    entries.push_back({{"episode", record.episode},
                       {"steps", record.steps},
                       {"reward", record.reward},
                       {"reward_mean_10", record.reward_mean_10},
                       {"reward_mean_100", record.reward_mean_100},
                       {"metrics", nlohmann::json::parse(record.metrics, nullptr, false)},
                       {"ts", core::format_iso8601(record.ts)}});
  }
  return http::Response::json(200, nlohmann::json{{"history", std::move(entries)},
                                                  {"total", page->total},
                                                  {"limit", page->limit},
                                                  {"offset", page->offset},
                                                  {"has_more", page->has_more}}
                                       .dump());
}

// Runs `handler` with the agent named in the path, or answers 404 / 503.
template <typename Handler>
http::Handler with_agent(ApiContext& context, Handler handler) {
  return [&context, handler](http::Request& request) {
    if (context.orchestrator == nullptr) return orchestrator_not_running();
    auto agent = marl::parse_ops_agent(request.path_params.at("id"));
    if (!agent.ok()) return http::error_response(agent.status(), "id");
    return handler(request, *agent);
  };
}

}  // namespace

void add_agent_routes(http::Router& router, ApiContext& context) {
  router.add("GET", "/api/v1/agents",
             require(context.auth, auth::Role::kViewer, [&context](http::Request&) {
               if (context.orchestrator == nullptr) return orchestrator_not_running();
               nlohmann::json agents = nlohmann::json::array();
               for (const env::OpsAgentSpec& spec : env::kOpsAgents) {
                 agents.push_back(full_agent_json(*context.orchestrator, spec.agent));
               }
               return http::Response::json(200, nlohmann::json{{"agents", agents}}.dump());
             }));
  router.add("GET", "/api/v1/agents/{id}",
             require(context.auth, auth::Role::kViewer,
                     with_agent(context, [&context](http::Request&, env::OpsAgent agent) {
                       return http::Response::json(
                           200, full_agent_json(*context.orchestrator, agent).dump());
                     })));
  router.add("GET", "/api/v1/agents/{id}/history",
             require(context.auth, auth::Role::kViewer,
                     with_agent(context, [&context](http::Request& request, env::OpsAgent agent) {
                       return history(context, request, agent);
                     })));
  router.add("POST", "/api/v1/agents/{id}/hyperparameters",
             require(context.auth, auth::Role::kDeveloper,
                     with_agent(context, [&context](http::Request& request, env::OpsAgent agent) {
                       return set_hyperparameters(context, request, agent);
                     })));
}

}  // namespace tars::api
