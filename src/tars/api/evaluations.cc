// /api/v1/evaluations: the paginated list (cached), one evaluation with its episodes, and job
// submission (202; progress and result arrive on the evaluation.updates channel).
#include <fmt/format.h>

#include <charconv>
#include <limits>
#include <variant>

#include "tars/api/api.h"
#include "tars/api/auth_middleware.h"
#include "tars/api/params.h"
#include "tars/env/kwargs_json.h"
#include "tars/http/gzip.h"
#include "tars/store/record_json.h"

namespace tars::api {
namespace {

// The tag of cached lists that may contain `agent_id`'s evaluations: its own, and "*" for lists
// not filtered by agent.
constexpr char kAnyAgentTag[] = "*";

// The query with defaults applied, or the first bad parameter.
std::variant<store::EvaluationQuery, ParamError> read_query(const http::Request& request,
                                                            int default_limit) {
  store::EvaluationQuery query;
  if (auto error = check_known(request, {"agent_id", "agent_type", "environment", "status", "since",
                                         "until", "limit", "offset"})) {
    return *error;
  }
  query.agent_id = read_text(request, "agent_id");
  query.agent_type = read_text(request, "agent_type");
  query.environment = read_text(request, "environment");
  if (auto status = read_text(request, "status")) {
    auto parsed = store::parse_status(*status);
    if (!parsed.ok()) return ParamError{parsed.status(), "status"};
    query.status = *parsed;
  }
  std::int64_t limit = default_limit;
  if (auto error = read_int(request, "limit", 1, store::kMaxListLimit, limit)) return *error;
  query.limit = static_cast<int>(limit);
  if (auto error =
          read_int(request, "offset", 0, std::numeric_limits<std::int64_t>::max(), query.offset)) {
    return *error;
  }
  if (auto error = read_time(request, "since", query.created_since)) return *error;
  if (auto error = read_time(request, "until", query.created_until)) return *error;
  if (query.created_since && query.created_until && *query.created_until < *query.created_since) {
    return ParamError{core::invalid_argument("until: must not be before since"), "until"};
  }
  return query;
}

// Canonical text of a query: the cache key.
std::string cache_key(const store::EvaluationQuery& query) {
  auto time = [](const std::optional<core::Timestamp>& t) {
    return t ? std::to_string(core::to_micros(*t)) : std::string();
  };
  return fmt::format(
      "evaluations?a={}&t={}&e={}&s={}&since={}&until={}&l={}&o={}", query.agent_id.value_or(""),
      query.agent_type.value_or(""), query.environment.value_or(""),
      query.status ? store::status_name(*query.status) : "", time(query.created_since),
      time(query.created_until), query.limit, query.offset);
}

http::Response list(ApiContext& context, const http::Request& request) {
  auto parsed = read_query(request, context.default_limit);
  if (auto* error = std::get_if<ParamError>(&parsed)) return error->response();
  const auto& query = std::get<store::EvaluationQuery>(parsed);
  // Clients that accept gzip get the compressed copy cached next to the plain one.
  const bool gzip = http::accepts_gzip(request);
  const std::string key = cache_key(query);
  const std::string gzip_key = key + "&gzip";
  if (auto cached = context.cache.get(gzip ? gzip_key : key)) {
    auto response =
        gzip ? http::gzip_json(std::move(*cached)) : http::Response::json(200, std::move(*cached));
    response.headers["X-Cache"] = "hit";
    return response;
  }
  auto page = context.database.evaluations().list_json(query);
  if (!page.ok()) return http::error_response(page.status());
  std::string body;
  body.reserve(1024 * (page->evaluations.size() + 1));  // a listed evaluation is ~850 bytes
  core::JsonWriter writer(body);
  writer.begin_object().key("evaluations").begin_array();
  for (const auto& evaluation : page->evaluations) writer.raw(evaluation);
  writer.end_array();
  writer.key("has_more").value(page->has_more);
  writer.key("limit").value(page->limit);
  writer.key("offset").value(page->offset);
  writer.key("total").value(page->total);
  writer.end_object();
  const std::string tag = query.agent_id.value_or(kAnyAgentTag);
  http::Response response;
  if (context.evaluations_cache_ttl.count() > 0) {
    std::string compressed = http::gzip(body);
    context.cache.put(key, body, context.evaluations_cache_ttl, tag);
    context.cache.put(gzip_key, compressed, context.evaluations_cache_ttl, tag);
    response =
        gzip ? http::gzip_json(std::move(compressed)) : http::Response::json(200, std::move(body));
  } else {
    response = http::Response::json(200, std::move(body));
  }
  response.headers["X-Cache"] = "miss";
  return response;
}

http::Response get(ApiContext& context, const http::Request& request) {
  const std::string& text = request.path_params.at("id");
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 1) {
    return http::error_response(400, "invalid_argument",
                                fmt::format("id: '{}' is not a positive integer", text), "id");
  }
  auto record = context.database.evaluations().get(id, /*with_episodes=*/true);
  if (!record.ok()) return http::error_response(record.status());
  if (!record->has_value()) {
    return http::error_response(404, "not_found", fmt::format("no evaluation {}", id));
  }
  return http::Response::json(200, store::json_text(**record));
}

// The job a POST body describes; errors name the field.
std::variant<eval::EvaluationJob, ParamError> read_job(const http::Request& request) {
  nlohmann::json body;
  if (auto error =
          parse_body(request,
                     {"agent_id", "policy", "checkpoint", "environment", "kwargs", "episodes",
                      "seed", "policy_mode", "budget_seconds", "success_threshold", "promote"},
                     body)) {
    return *error;
  }
  eval::EvaluationJob job;
  std::optional<std::string> agent_id, policy, checkpoint, environment, mode;
  std::optional<int> episodes;
  std::optional<std::uint64_t> seed;
  std::optional<double> budget, threshold;
  std::optional<bool> promote;
  for (auto error :
       {read_field(body, "agent_id", agent_id), read_field(body, "policy", policy),
        read_field(body, "checkpoint", checkpoint), read_field(body, "environment", environment),
        read_field(body, "policy_mode", mode), read_field(body, "episodes", episodes),
        read_field(body, "seed", seed), read_field(body, "budget_seconds", budget),
        read_field(body, "success_threshold", threshold), read_field(body, "promote", promote)}) {
    if (error) return *error;
  }
  job.agent_id = agent_id.value_or("");
  job.policy = {.builtin = policy.value_or(""), .checkpoint_dir = checkpoint.value_or("")};
  job.environment = environment.value_or("");
  job.episodes = episodes.value_or(job.episodes);
  job.seed = seed.value_or(0);
  job.budget_seconds = budget.value_or(0.0);
  job.success_threshold = threshold;
  job.promote = promote.value_or(true);
  if (mode) {
    auto parsed = store::parse_policy_mode(*mode);
    if (!parsed.ok()) return ParamError{parsed.status(), "policy_mode"};
    job.mode = *parsed;
  }
  if (body.contains("kwargs")) {
    auto kwargs = env::parse_kwargs(body["kwargs"].dump());
    if (!kwargs.ok()) return ParamError{kwargs.status(), "kwargs"};
    job.kwargs = *kwargs;
  }
  return job;
}

http::Response submit(ApiContext& context, const http::Request& request) {
  auto parsed = read_job(request);
  if (auto* error = std::get_if<ParamError>(&parsed)) return error->response();
  auto record = context.runner.submit(std::get<eval::EvaluationJob>(std::move(parsed)));
  if (!record.ok()) {
    // Something the body names does not exist (environment, heuristic, checkpoint): the request
    // is wrong, not the route.
    const auto& status = record.status();
    return http::error_response(status.code() == core::ErrorCode::kNotFound
                                    ? core::invalid_argument(status.message())
                                    : status);
  }
  auto response = http::Response::json(202, store::json_text(*record));
  response.headers["Location"] = fmt::format("/api/v1/evaluations/{}", record->id);
  return response;
}

}  // namespace

void add_evaluation_routes(http::Router& router, ApiContext& context) {
  auto& auth = context.auth;
  router.add("GET", "/api/v1/evaluations",
             require(auth, auth::Role::kViewer,
                     [&context](http::Request& request) { return list(context, request); }));
  router.add("GET", "/api/v1/evaluations/{id}",
             require(auth, auth::Role::kViewer,
                     [&context](http::Request& request) { return get(context, request); }));
  router.add("POST", "/api/v1/evaluations",
             require(auth, auth::Role::kDeveloper,
                     [&context](http::Request& request) { return submit(context, request); }));
}

void on_evaluation_event(ApiContext& context, const eval::EvaluationEvent& event) {
  if (event.type != "progress") {  // progress changes no stored row
    context.cache.invalidate(event.record.agent_id);
    context.cache.invalidate(kAnyAgentTag);
  }
  nlohmann::json data{{"event", event.type},
                      {"evaluation", store::to_json(event.record)},
                      {"episodes_finished", event.episodes_finished}};
  if (event.promoted) data["promoted_baseline"] = store::to_json(*event.promoted);
  context.hub.publish("evaluation.updates", data.dump());
}

}  // namespace tars::api
