// Everything `tars serve` runs in one process, wired together: the database, the evaluation
// runner and its queue, the list cache, the live hub, the API router and the HTTP server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tars/api/api.h"
#include "tars/api/metrics.h"
#include "tars/app/orchestration.h"
#include "tars/auth/auth_service.h"
#include "tars/auth/rate_limiter.h"
#include "tars/bus/cache.h"
#include "tars/eval/job_queue.h"
#include "tars/eval/runner.h"
#include "tars/http/live_hub.h"
#include "tars/http/router.h"
#include "tars/http/server.h"
#include "tars/http/static_files.h"
#include "tars/obs/registry.h"

namespace tars::app {

struct PlatformOptions {
  http::ServerOptions server = {};
  eval::RunnerOptions runner = {};
  std::string web_root = "web/dist";
  std::vector<std::string> cors_origins = {};
  int default_limit = store::kDefaultListLimit;
  std::chrono::milliseconds evaluations_cache_ttl{60000};
  auth::AuthOptions auth = {};
  std::vector<auth::RateLimit> rate_limits = {};  // empty: no limits
  std::string admin_password = {};  // the first admin's (TARS_ADMIN_PASSWORD); empty: generated
  OrchestrationOptions orchestration = {};  // off unless asked for
};

class Platform {
 public:
  Platform(PlatformOptions options, std::unique_ptr<store::Database> database);
  ~Platform();

  // Creates the first admin when there are no users, marks jobs an earlier process lost, starts
  // the evaluation workers, the orchestrator (when asked for) and the server. Returns what the
  // admin bootstrap did.
  core::Expected<auth::BootstrapResult> start();
  // The server first (no new requests), then the orchestrator and the workers.
  void stop();
  int port() const { return server_.port(); }
  http::Server& server() { return server_; }
  http::LiveHub& hub() { return hub_; }
  store::Database& database() { return *database_; }
  auth::AuthService& auth() { return auth_; }
  obs::Registry& metrics() { return metrics_; }
  const http::Router& router() const { return router_; }
  // Null unless the orchestration mode is not off and start() succeeded.
  marl::Orchestrator* orchestrator() { return context_.orchestrator; }

 private:
  PlatformOptions options_;
  std::unique_ptr<store::Database> database_;
  eval::InProcessJobQueue queue_;
  http::LiveHub hub_;
  obs::Registry metrics_;
  bus::TtlLruCache cache_;
  std::unique_ptr<api::CountingCache> counted_cache_;
  auth::AuthService auth_;
  auth::RateLimiter limiter_;
  eval::EvaluationRunner runner_;
  api::ApiContext context_;
  http::StaticFiles dashboard_;
  http::Router router_;
  http::Server server_;
  std::unique_ptr<Orchestration> orchestration_;
};

}  // namespace tars::app
