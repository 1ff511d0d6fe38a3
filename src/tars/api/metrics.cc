#include "tars/api/metrics.h"

#include <chrono>

#include "tars/obs/process_collector.h"
#include "tars/obs/text_format.h"

namespace tars::api {

core::Status add_metrics(http::Router& router, obs::Registry& registry, http::LiveHub& hub) {
  auto requests = registry.counter(
      {"http_requests_total", "HTTP requests answered", {"method", "route", "status"}});
  auto latency = registry.histogram(
      {"http_request_duration_seconds", "Time from a whole request to its response", {"route"}});
  auto connections =
      registry.gauge({"tars_websocket_connections", "Open /ws/live connections", {}});
  auto durations = websocket_duration_family(registry);
  auto reconnections = websocket_reconnections_family(registry);
  for (const core::Status& status : {requests.status(), latency.status(), connections.status(),
                                     durations.status(), reconnections.status()}) {
    if (!status.ok()) return status;
  }
  if (auto status = obs::register_process_metrics(registry); !status.ok()) return status;
  auto* open = (*connections)->with({}).value();
  registry.add_collector([open, &hub] { open->set(static_cast<double>(hub.connections())); });
  auto* lifetimes = (*durations)->with({"server"}).value();
  (void)(*durations)->with({"browser"});  // both series from the start, at zero
  (void)(*reconnections)->with({"browser"});
  hub.on_connection_closed([lifetimes](double seconds) { lifetimes->observe(seconds); });

  router.use([requests = *requests, latency = *latency](http::Request& request,
                                                        const http::Handler& next) {
    const auto start = std::chrono::steady_clock::now();
    http::Response response = next(request);
    // Routes, not paths, as labels: a path holds ids and would make a series per evaluation.
    const std::string route = request.route.empty() ? "unmatched" : request.route;
    if (auto counter = requests->with({request.method, route, std::to_string(response.status)});
        counter.ok()) {
      (*counter)->inc();
    }
    if (auto histogram = latency->with({route}); histogram.ok()) {
      (*histogram)
          ->observe(
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return response;
  });
  router.add("GET", "/metrics", [&registry](http::Request&) {
    http::Response response;
    response.headers["Content-Type"] = std::string(obs::kContentType);
    response.body = registry.render();
    return response;
  });
  return {};
}

core::Status observe_database(store::Database& database, obs::Registry& registry) {
  auto queries = registry.histogram({"tars_db_query_duration_seconds",
                                     "Database statement duration by verb and table",
                                     {"query"}});
  if (!queries.ok()) return queries.status();
  database.observe_queries([family = *queries](const std::string& query, double seconds) {
    if (auto series = family->with({query}); series.ok()) (*series)->observe(seconds);
  });
  return {};
}

core::Expected<obs::HistogramFamily*> websocket_duration_family(obs::Registry& registry) {
  return registry.histogram({"tars_websocket_connection_duration_seconds",
                             "How long /ws/live connections lasted, as the server (source=server) "
                             "or the browsers (source=browser) saw them",
                             {"source"}},
                            {1, 10, 60, 300, 1800, 3600, 4 * 3600, 24 * 3600});
}

core::Expected<obs::CounterFamily*> websocket_reconnections_family(obs::Registry& registry) {
  return registry.counter({"tars_websocket_reconnections_total",
                           "/ws/live reconnections, as reported by the browsers (source=browser)",
                           {"source"}});
}

core::Expected<std::unique_ptr<CountingCache>> CountingCache::create(bus::Cache& inner,
                                                                     obs::Registry& registry,
                                                                     std::string name) {
  auto family = registry.counter(
      {"tars_cache_requests_total", "Cache lookups by cache and result", {"cache", "result"}});
  if (!family.ok()) return family.status();
  auto hits = (*family)->with({name, "hit"});
  auto misses = (*family)->with({name, "miss"});
  if (!hits.ok()) return hits.status();
  if (!misses.ok()) return misses.status();
  return std::unique_ptr<CountingCache>(new CountingCache(inner, **hits, **misses));
}

std::optional<std::string> CountingCache::get(const std::string& key) {
  auto value = inner_.get(key);
  (value ? hits_ : misses_).inc();
  return value;
}

void CountingCache::put(const std::string& key, std::string value, std::chrono::milliseconds ttl,
                        const std::string& tag) {
  inner_.put(key, std::move(value), ttl, tag);
}

void CountingCache::invalidate(const std::string& tag) { inner_.invalidate(tag); }

}  // namespace tars::api
