// /api/v1/baselines: the current baseline and its history per (agent_type, environment); POST
// sets one by hand (admins only).
#include <fmt/format.h>

#include "tars/api/api.h"
#include "tars/api/auth_middleware.h"
#include "tars/api/params.h"
#include "tars/store/record_json.h"

namespace tars::api {
namespace {

std::optional<ParamError> required_text(const http::Request& request, std::string_view name,
                                        std::string& out) {
  auto value = read_text(request, name);
  if (!value)
    return ParamError{core::invalid_argument(fmt::format("{}: required", name)), std::string(name)};
  out = *value;
  return std::nullopt;
}

http::Response get(ApiContext& context, const http::Request& request) {
  std::string agent_type, environment;
  if (auto error = check_known(request, {"agent_type", "environment"})) return error->response();
  if (auto error = required_text(request, "agent_type", agent_type)) return error->response();
  if (auto error = required_text(request, "environment", environment)) return error->response();
  auto history = context.database.baselines().history(agent_type, environment);
  if (!history.ok()) return http::error_response(history.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& baseline : *history) items.push_back(store::to_json(baseline));
  return http::Response::json(
      200, nlohmann::json{{"agent_type", agent_type},
                          {"environment", environment},
                          {"current", history->empty() ? nlohmann::json() : items.front()},
                          {"history", items}}
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// The metrics object of a POST body; errors name the field.
std::variant<store::EvaluationMetrics, ParamError> read_metrics(const nlohmann::json& json) {
  if (!json.is_object())
    return ParamError{core::invalid_argument("metrics: must be an object"), "metrics"};
  store::EvaluationMetrics metrics;
  const std::pair<const char*, double*> fields[] = {
      {"mean_reward", &metrics.mean_reward},       {"std_reward", &metrics.std_reward},
      {"min_reward", &metrics.min_reward},         {"max_reward", &metrics.max_reward},
      {"success_rate", &metrics.success_rate},     {"mean_steps", &metrics.mean_steps},
      {"action_entropy", &metrics.action_entropy}, {"reward_variance", &metrics.reward_variance}};
  for (const auto& [name, target] : fields) {
    const auto it = json.find(name);
    if (it == json.end() || !it->is_number()) {
      return ParamError{core::invalid_argument(fmt::format("metrics.{}: required number", name)),
                        fmt::format("metrics.{}", name)};
    }
    *target = it->get<double>();
  }
  return metrics;
}

http::Response post(ApiContext& context, const http::Request& request) {
  nlohmann::json body;
  if (auto error =
          parse_body(request, {"agent_type", "environment", "metrics", "hyperparameters"}, body)) {
    return error->response();
  }
  std::optional<std::string> agent_type, environment;
  for (auto error :
       {read_field(body, "agent_type", agent_type), read_field(body, "environment", environment)}) {
    if (error) return error->response();
  }
  if (!agent_type || agent_type->empty()) {
    return http::error_response(400, "invalid_argument", "agent_type: required", "agent_type");
  }
  if (!environment || environment->empty()) {
    return http::error_response(400, "invalid_argument", "environment: required", "environment");
  }
  auto metrics = read_metrics(body.value("metrics", nlohmann::json()));
  if (auto* error = std::get_if<ParamError>(&metrics)) return error->response();
  const auto hyperparameters = body.value("hyperparameters", nlohmann::json::object());
  if (!hyperparameters.is_object()) {
    return http::error_response(400, "invalid_argument", "hyperparameters: must be an object",
                                "hyperparameters");
  }
  auto stored = context.database.baselines().update_if_better(
      {.agent_type = *agent_type,
       .environment = *environment,
       .metrics = std::get<store::EvaluationMetrics>(metrics),
       .hyperparameters = hyperparameters.dump()},
      /*force=*/true);
  if (!stored.ok()) return http::error_response(stored.status());
  return http::Response::json(201, store::json_text(**stored));
}

}  // namespace

void add_baseline_routes(http::Router& router, ApiContext& context) {
  router.add("GET", "/api/v1/baselines",
             require(context.auth, auth::Role::kViewer,
                     [&context](http::Request& request) { return get(context, request); }));
  router.add("POST", "/api/v1/baselines",
             require(context.auth, auth::Role::kAdmin,
                     [&context](http::Request& request) { return post(context, request); }));
}

}  // namespace tars::api
