// The server's Prometheus metrics: requests and latency by route, WebSocket connections, the
// list cache, and the process; served on GET /metrics.
#pragma once

#include <memory>

#include "tars/bus/cache.h"
#include "tars/http/live_hub.h"
#include "tars/http/router.h"
#include "tars/obs/registry.h"
#include "tars/store/repository.h"

namespace tars::api {

// Registers the families on `registry`, observes `hub`, and adds the middleware counting every
// request plus the public GET /metrics route to `router`. Call before the routes that should be
// counted are used (the middleware sees every request either way).
core::Status add_metrics(http::Router& router, obs::Registry& registry, http::LiveHub& hub);

// tars_db_query_duration_seconds{query}: every statement of `database`, by verb and table.
core::Status observe_database(store::Database& database, obs::Registry& registry);

// The /ws/live families (registering them again returns the same ones):
// tars_websocket_connection_duration_seconds{source} observed by the server on every close
// (source="server") and reported by browsers (source="browser", POST /api/v1/telemetry/websocket),
// and tars_websocket_reconnections_total{source} (browsers only: the server cannot tell a
// reconnection from a new client).
core::Expected<obs::HistogramFamily*> websocket_duration_family(obs::Registry& registry);
core::Expected<obs::CounterFamily*> websocket_reconnections_family(obs::Registry& registry);

// A cache that counts hits and misses as tars_cache_requests_total{cache, result}.
class CountingCache final : public bus::Cache {
 public:
  // `inner` must outlive this; `name` is the cache label.
  static core::Expected<std::unique_ptr<CountingCache>> create(bus::Cache& inner,
                                                               obs::Registry& registry,
                                                               std::string name);
  std::optional<std::string> get(const std::string& key) override;
  void put(const std::string& key, std::string value, std::chrono::milliseconds ttl,
           const std::string& tag) override;
  void invalidate(const std::string& tag) override;

 private:
  CountingCache(bus::Cache& inner, obs::Counter& hits, obs::Counter& misses)
      : inner_(inner), hits_(hits), misses_(misses) {}

  bus::Cache& inner_;
  obs::Counter& hits_;
  obs::Counter& misses_;
};

}  // namespace tars::api
