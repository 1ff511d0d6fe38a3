#include "tars/app/platform.h"

#include "tars/api/auth_middleware.h"
#include "tars/core/log.h"
#include "tars/http/middleware.h"

namespace tars::app {
namespace {

// Cached list pages kept at most (each a rendered JSON page).
constexpr std::size_t kListCacheEntries = 10000;

// Metric names are constants: failing to register them is a bug, reported and fatal.
void must(const core::Status& status) {
  if (!status.ok()) {
    core::Logger("serve").error("metrics: {}", status.message());
    std::abort();
  }
}

template <typename T>
T must(core::Expected<T> value) {
  must(value.status());
  return std::move(*value);
}

}  // namespace

Platform::Platform(PlatformOptions options, std::unique_ptr<store::Database> database)
    : options_(std::move(options)),
      database_(std::move(database)),
      cache_(kListCacheEntries),
      counted_cache_(must(api::CountingCache::create(cache_, metrics_, "evaluations"))),
      auth_(*database_, options_.auth),
      limiter_(options_.rate_limits),
      runner_(*database_, queue_, options_.runner,
              [this](const eval::EvaluationEvent& event) {
                api::on_evaluation_event(context_, event);
              }),
      context_{.database = *database_,
               .runner = runner_,
               .hub = hub_,
               .cache = *counted_cache_,
               .auth = auth_,
               .default_limit = options_.default_limit,
               .evaluations_cache_ttl = options_.evaluations_cache_ttl,
               .metrics = &metrics_},
      dashboard_(options_.web_root),
      server_(options_.server, router_, hub_) {
  must(api::add_metrics(router_, metrics_, hub_));
  must(api::observe_database(*database_, metrics_));
  router_.use(http::request_id());
  router_.use(http::access_log());
  router_.use(http::security_headers());
  router_.use(http::cors(options_.cors_origins));
  router_.use(api::authenticate(auth_));
  router_.use(api::rate_limit(limiter_));
  api::add_routes(router_, context_);
  router_.set_fallback([this](http::Request& request) { return dashboard_.serve(request); });
  server_.set_upgrade_check(
      [this](http::Request& request) { return api::authorize_live_feed(auth_, request); });
}

Platform::~Platform() { stop(); }

core::Expected<auth::BootstrapResult> Platform::start() {
  auto bootstrap = auth_.bootstrap_admin(options_.admin_password);
  if (!bootstrap.ok()) return bootstrap.status();
  if (options_.orchestration.mode != OrchestrationMode::kOff && !orchestration_) {
    auto orchestration = Orchestration::create(
        options_.orchestration, *database_, hub_, metrics_,
        [this](const eval::EvaluationEvent& event) { api::on_evaluation_event(context_, event); });
    if (!orchestration.ok()) return orchestration.status();
    orchestration_ = std::move(*orchestration);
    context_.orchestrator = &orchestration_->orchestrator();
    context_.orchestrator_external = orchestration_->external();
  }
  auto interrupted = runner_.start();
  if (!interrupted.ok()) return interrupted.status();
  if (*interrupted > 0) {
    core::Logger("serve").warn(
        "{} evaluation(s) left unfinished by an earlier run were marked failed", *interrupted);
  }
  if (auto status = server_.start(); !status.ok()) return status;
  if (orchestration_) orchestration_->start();
  return bootstrap;
}

void Platform::stop() {
  server_.stop();
  if (orchestration_) orchestration_->stop();
  runner_.stop();
  hub_.stop();
}

}  // namespace tars::app
