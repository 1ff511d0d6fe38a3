#include "tars/app/platform.h"

#include "tars/core/log.h"
#include "tars/http/middleware.h"

namespace tars::app {
namespace {

// Cached list pages kept at most (each a rendered JSON page).
constexpr std::size_t kListCacheEntries = 10000;

}  // namespace

Platform::Platform(PlatformOptions options, std::unique_ptr<store::Database> database)
    : options_(std::move(options)),
      database_(std::move(database)),
      cache_(kListCacheEntries),
      runner_(*database_, queue_, options_.runner,
              [this](const eval::EvaluationEvent& event) {
                api::on_evaluation_event(context_, event);
              }),
      context_{.database = *database_,
               .runner = runner_,
               .hub = hub_,
               .cache = cache_,
               .default_limit = options_.default_limit,
               .evaluations_cache_ttl = options_.evaluations_cache_ttl},
      dashboard_(options_.web_root),
      server_(options_.server, router_, hub_) {
  router_.use(http::request_id());
  router_.use(http::access_log());
  router_.use(http::security_headers());
  router_.use(http::cors(options_.cors_origins));
  api::add_routes(router_, context_);
  router_.set_fallback([this](http::Request& request) { return dashboard_.serve(request); });
}

Platform::~Platform() { stop(); }

core::Status Platform::start() {
  auto interrupted = runner_.start();
  if (!interrupted.ok()) return interrupted.status();
  if (*interrupted > 0) {
    core::Logger("serve").warn(
        "{} evaluation(s) left unfinished by an earlier run were marked failed", *interrupted);
  }
  return server_.start();
}

void Platform::stop() {
  server_.stop();
  runner_.stop();
}

}  // namespace tars::app
