// POST /api/v1/telemetry/websocket: browsers report their view of the live feed (reconnections and
// how long their connections lasted), so the /ws/live metrics count what users saw, not only
// what the server saw.
#include <fmt/format.h>

#include <cmath>

#include "tars/api/api.h"
#include "tars/api/auth_middleware.h"
#include "tars/api/metrics.h"
#include "tars/api/params.h"

namespace tars::api {
namespace {

// Durations one report may carry; a dashboard reports every few minutes, so this is plenty.
constexpr std::size_t kMaxDurations = 100;
// Reconnections one report may claim (a browser backs off to 30 s at most between attempts).
constexpr std::int64_t kMaxReconnections = 100000;

ParamError invalid(const std::string& field, const std::string& message) {
  return ParamError{core::invalid_argument(fmt::format("{}: {}", field, message)), field};
}

http::Response post(ApiContext& context, const http::Request& request) {
  nlohmann::json body;
  if (auto error = parse_body(request, {"reconnections", "connection_durations_seconds"}, body)) {
    return error->response();
  }
  // Everything is validated before anything is counted: a bad report changes no metric.
  std::int64_t reconnections = 0;
  if (const auto it = body.find("reconnections"); it != body.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0 ||
        it->get<std::int64_t>() > kMaxReconnections) {
      return invalid("reconnections",
                     fmt::format("must be an integer from 0 to {}", kMaxReconnections))
          .response();
    }
    reconnections = it->get<std::int64_t>();
  }
  std::vector<double> durations;
  if (const auto it = body.find("connection_durations_seconds"); it != body.end()) {
    if (!it->is_array()) {
      return invalid("connection_durations_seconds", "must be an array of seconds").response();
    }
    if (it->size() > kMaxDurations) {
      return invalid("connection_durations_seconds",
                     fmt::format("at most {} entries per report", kMaxDurations))
          .response();
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& value = (*it)[i];
      if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0) {
        return invalid(fmt::format("connection_durations_seconds[{}]", i),
                       "must be a number of seconds >= 0")
            .response();
      }
      durations.push_back(value.get<double>());
    }
  }
  if (context.metrics == nullptr) {
    return http::error_response(503, "unavailable", "metrics are not configured");
  }
  auto counters = websocket_reconnections_family(*context.metrics);
  auto histograms = websocket_duration_family(*context.metrics);
  if (!counters.ok()) return http::error_response(counters.status());
  if (!histograms.ok()) return http::error_response(histograms.status());
  auto counter = (*counters)->with({"browser"});
  auto histogram = (*histograms)->with({"browser"});
  if (!counter.ok()) return http::error_response(counter.status());
  if (!histogram.ok()) return http::error_response(histogram.status());
  if (reconnections > 0) (*counter)->inc(static_cast<double>(reconnections));
  for (double seconds : durations) (*histogram)->observe(seconds);
  return http::Response::json(200, nlohmann::json{{"reconnections", reconnections},
                                                  {"connection_durations", durations.size()}}
                                       .dump());
}

}  // namespace

void add_telemetry_routes(http::Router& router, ApiContext& context) {
  router.add("POST", "/api/v1/telemetry/websocket",
             require(context.auth, auth::Role::kViewer,
                     [&context](http::Request& request) { return post(context, request); }));
}

}  // namespace tars::api
