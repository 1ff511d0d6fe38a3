// Everything `tars serve` runs in one process, wired together: the database, the evaluation
// runner and its queue, the list cache, the live hub, the API router and the HTTP server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tars/api/api.h"
#include "tars/bus/cache.h"
#include "tars/eval/job_queue.h"
#include "tars/eval/runner.h"
#include "tars/http/live_hub.h"
#include "tars/http/router.h"
#include "tars/http/server.h"
#include "tars/http/static_files.h"

namespace tars::app {

struct PlatformOptions {
  http::ServerOptions server = {};
  eval::RunnerOptions runner = {};
  std::string web_root = "web/dist";
  std::vector<std::string> cors_origins = {};
  int default_limit = store::kDefaultListLimit;
  std::chrono::milliseconds evaluations_cache_ttl{60000};
};

class Platform {
 public:
  Platform(PlatformOptions options, std::unique_ptr<store::Database> database);
  ~Platform();

  // Marks jobs an earlier process lost, starts the evaluation workers and the server.
  core::Status start();
  // The server first (no new requests), then the workers.
  void stop();
  int port() const { return server_.port(); }
  http::Server& server() { return server_; }
  http::LiveHub& hub() { return hub_; }
  store::Database& database() { return *database_; }

 private:
  PlatformOptions options_;
  std::unique_ptr<store::Database> database_;
  eval::InProcessJobQueue queue_;
  http::LiveHub hub_;
  bus::TtlLruCache cache_;
  eval::EvaluationRunner runner_;
  api::ApiContext context_;
  http::StaticFiles dashboard_;
  http::Router router_;
  http::Server server_;
};

}  // namespace tars::app
