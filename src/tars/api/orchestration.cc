// The orchestrator's coordination state (Nash solution, Pareto frontier, conflicts, metrics) and
// external mode: a real system posts its agents' states and rewards and gets coordinated
// actions back.
#include <fmt/format.h>

#include <cmath>

#include "tars/api/api.h"
#include "tars/api/auth_middleware.h"
#include "tars/api/orchestration_json.h"
#include "tars/api/params.h"

namespace tars::api {

namespace {

constexpr std::size_t kAgents = env::kOpsNumAgents;

http::Response not_running() {
  return http::error_response(503, "unavailable", "the orchestrator is not running");
}

http::Response no_step_yet() {
  return http::error_response(core::not_found("no coordination step has run yet"));
}

// The four agents' vectors from {"policy": [...], ...}; errors name agent and entry.
std::optional<ParamError> read_states(const nlohmann::json& json, const char* field,
                                      marl::Observations& out) {
  if (!json.is_object()) {
    return ParamError{core::invalid_argument(fmt::format("{}: expected an object with the four "
                                                         "agents' vectors",
                                                         field)),
                      field};
  }
  for (std::size_t i = 0; i < kAgents; ++i) {
    const env::OpsAgentSpec& spec = env::kOpsAgents[i];
    const std::string name = fmt::format("{}.{}", field, spec.name);
    const auto it = json.find(spec.name);
    if (it == json.end() || !it->is_array()) {
      return ParamError{core::invalid_argument(
                            fmt::format("{}: expected an array of {} numbers", name, spec.obs_dim)),
                        name};
    }
    if (it->size() != static_cast<std::size_t>(spec.obs_dim)) {
      return ParamError{core::invalid_argument(fmt::format("{}: {} values, expected {}", name,
                                                           it->size(), spec.obs_dim)),
                        name};
    }
    out[i].clear();
    for (std::size_t k = 0; k < it->size(); ++k) {
      const nlohmann::json& value = (*it)[k];
      if (!value.is_number() || !std::isfinite(value.get<double>())) {
        return ParamError{
            core::invalid_argument(fmt::format("{}[{}]: not a finite number", name, k)), name};
      }
      out[i].push_back(value.get<float>());
    }
  }
  for (const auto& [key, value] : json.items()) {
    if (!marl::parse_ops_agent(key).ok()) {
      return ParamError{core::invalid_argument(fmt::format("{}: unknown agent '{}'", field, key)),
                        field};
    }
  }
  return std::nullopt;
}

// {"policy": r, ...} with all four agents, or zeros when absent.
std::optional<ParamError> read_rewards(const nlohmann::json& body, marl::AgentValues& out) {
  out = {};
  const auto it = body.find("rewards");
  if (it == body.end()) return std::nullopt;
  for (std::size_t i = 0; i < kAgents; ++i) {
    const std::string name = fmt::format("rewards.{}", env::kOpsAgents[i].name);
    const auto value = it->is_object() ? it->find(env::kOpsAgents[i].name) : it->end();
    if (value == it->end() || !value->is_number() || !std::isfinite(value->get<double>())) {
      return ParamError{core::invalid_argument(fmt::format("{}: expected a finite number", name)),
                        name};
    }
    out[i] = value->get<double>();
  }
  return std::nullopt;
}

std::optional<ParamError> read_context(const nlohmann::json& body, marl::ServiceContext& out) {
  const auto it = body.find("context");
  if (it == body.end()) return std::nullopt;
  const std::pair<const char*, double*> fields[] = {{"utilisation", &out.utilisation},
                                                    {"replica_fraction", &out.replica_fraction}};
  for (const auto& [key, target] : fields) {
    const std::string name = fmt::format("context.{}", key);
    const auto value = it->is_object() ? it->find(key) : it->end();
    if (value == it->end()) continue;
    if (!value->is_number() || value->get<double>() < 0.0 || value->get<double>() > 1.0) {
      return ParamError{
          core::invalid_argument(fmt::format("{}: expected a number in [0, 1]", name)), name};
    }
    *target = value->get<double>();
  }
  return std::nullopt;
}

http::Response external_step(ApiContext& context, const http::Request& request) {
  nlohmann::json body;
  if (auto error = parse_body(request, {"states", "rewards", "context"}, body)) {
    return error->response();
  }
  marl::Observations states;
  marl::AgentValues rewards;
  marl::ServiceContext service;
  if (auto error = read_states(body.value("states", nlohmann::json()), "states", states)) {
    return error->response();
  }
  if (auto error = read_rewards(body, rewards)) return error->response();
  if (auto error = read_context(body, service)) return error->response();
  auto report = context.orchestrator->external_step(states, rewards, service);
  if (!report.ok()) return http::error_response(report.status());
  nlohmann::json probabilities = nlohmann::json::object();
  for (std::size_t i = 0; i < kAgents; ++i) {
    probabilities[std::string(env::kOpsAgents[i].name)] =
        report->coordination.nash.strategies.empty()
            ? nlohmann::json::array({1.0})
            : nlohmann::json(report->coordination.nash.strategies[i]);
  }
  return http::Response::json(
      200, nlohmann::json{{"step", report->step},
                          {"episode", report->episode},
                          {"actions", actions_json(*report)},
                          {"probabilities", std::move(probabilities)},
                          {"proposed_conflicts", conflicts_json(report->coordination.proposed)},
                          {"conflicts", conflicts_json(report->coordination.executed)},
                          {"nash", nash_json(*report)}}
               .dump());
}

http::Response end_episode(ApiContext& context, const http::Request& request) {
  nlohmann::json body;
  if (auto error = parse_body(request, {"rewards", "states"}, body)) return error->response();
  marl::AgentValues rewards;
  if (auto error = read_rewards(body, rewards)) return error->response();
  std::optional<marl::Observations> final_states;
  if (body.contains("states")) {
    final_states.emplace();
    if (auto error = read_states(body["states"], "states", *final_states)) {
      return error->response();
    }
  }
  if (auto status = context.orchestrator->end_external_episode(rewards, final_states);
      !status.ok()) {
    return http::error_response(status);
  }
  return http::Response::json(
      200, nlohmann::json{{"episodes", context.orchestrator->metrics().episodes}}.dump());
}

// Runs `handler` when the orchestrator exists (and, if `external`, is in external mode).
http::Handler running(ApiContext& context, bool external, http::Handler handler) {
  return [&context, external, handler = std::move(handler)](http::Request& request) {
    if (context.orchestrator == nullptr) return not_running();
    if (external && !context.orchestrator_external) {
      return http::error_response(core::failed_precondition(
          "the orchestrator runs ops_sim; start tars serve with --orchestration external to "
          "drive it from another system"));
    }
    return handler(request);
  };
}

}  // namespace

void add_orchestration_routes(http::Router& router, ApiContext& context) {
  using auth::Role;
  router.add(
      "GET", "/api/v1/nash-equilibrium",
      require(context.auth, Role::kViewer, running(context, false, [&context](http::Request&) {
                auto last = context.orchestrator->last_step();
                if (!last) return no_step_yet();
                return http::Response::json(200, nash_json(*last).dump());
              })));
  router.add(
      "GET", "/api/v1/pareto",
      require(context.auth, Role::kViewer, running(context, false, [&context](http::Request&) {
                auto last = context.orchestrator->last_step();
                if (!last) return no_step_yet();
                return http::Response::json(
                    200, pareto_json(*last, context.orchestrator->coordination_options(),
                                     context.orchestrator->hypervolume_history())
                             .dump());
              })));
  router.add("GET", "/api/v1/conflicts",
             require(context.auth, Role::kViewer,
                     running(context, false, [&context](http::Request& request) {
                       if (auto error = check_known(request, {"limit"})) return error->response();
                       std::int64_t limit = 50;
                       if (auto error = read_int(request, "limit", 1, 1000, limit)) {
                         return error->response();
                       }
                       nlohmann::json conflicts = nlohmann::json::array();
                       for (const marl::ConflictRecord& record :
                            context.orchestrator->conflicts(static_cast<std::size_t>(limit))) {
                         conflicts.push_back(conflict_record_json(record));
                       }
                       return http::Response::json(
                           200, nlohmann::json{{"conflicts", std::move(conflicts)}}.dump());
                     })));
  router.add(
      "GET", "/api/v1/metrics",
      require(context.auth, Role::kViewer, running(context, false, [&context](http::Request&) {
                return http::Response::json(200,
                                            metrics_json(context.orchestrator->metrics()).dump());
              })));
  router.add("POST", "/api/v1/orchestration/step",
             require(context.auth, Role::kDeveloper,
                     running(context, true, [&context](http::Request& request) {
                       return external_step(context, request);
                     })));
  router.add("POST", "/api/v1/orchestration/episode/end",
             require(context.auth, Role::kDeveloper,
                     running(context, true, [&context](http::Request& request) {
                       return end_episode(context, request);
                     })));
}

}  // namespace tars::api
