#include "tars/app/cli_serve.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "tars/app/cli_support.h"
#include "tars/app/database.h"
#include "tars/app/global_options.h"
#include "tars/app/marl_options.h"
#include "tars/app/platform.h"
#include "tars/auth/config_keys.h"
#include "tars/bus/config_keys.h"
#include "tars/eval/config_keys.h"
#include "tars/http/config_keys.h"
#include "tars/store/config_keys.h"

namespace tars::app {
namespace {

struct ServeFlags {
  std::string orchestration = "sim";
  double steps_per_second = 10.0;
  OrchestratorFlags orchestrator;
  TeamEvaluationOptions team_evaluation;
};

void serve(const ServeFlags& flags) {
  const core::Config& config = global_config();
  auto mode = parse_orchestration_mode(flags.orchestration);
  if (!mode.ok()) fail(mode.status());
  auto orchestrator = orchestrator_options(flags.orchestrator);
  if (!orchestrator.ok()) fail(orchestrator.status());
  auto server = http::server_options(config);
  if (!server.ok()) fail(server.status());
  auto database = open_migrated_database(database_settings(config));
  if (!database.ok()) fail(database.status());
  const std::string backend = (*database)->backend();
  Platform platform(
      {.server = *server,
       .runner = {.max_concurrent = eval::eval_max_concurrent(config),
                  .thresholds = eval::regression_thresholds(config)},
       .web_root = http::web_root(config),
       .cors_origins = http::cors_origins(config),
       .default_limit = static_cast<int>(config.get_int(store::kDbQueryDefaultLimitKey)),
       .evaluations_cache_ttl = std::chrono::seconds(config.get_int(bus::kEvaluationsCacheTtlKey)),
       .auth = {.lifetimes = auth::token_lifetimes(config),
                .key_ring = auth::key_ring_options(config)},
       .rate_limits = auth::rate_limits(config),
       .admin_password = config.get_string(auth::kAdminPasswordKey),
       .orchestration = {.mode = *mode,
                         .orchestrator = *orchestrator,
                         .steps_per_second = flags.steps_per_second,
                         .team_evaluation = {.every_episodes = flags.team_evaluation.every_episodes,
                                             .episodes = flags.team_evaluation.episodes,
                                             .thresholds = eval::regression_thresholds(config)}}},
      std::move(*database));
  auto bootstrap = platform.start();
  if (!bootstrap.ok()) fail(bootstrap.status());
  const std::string url = fmt::format("http://{}:{}", server->host, platform.port());
  std::cerr << "tars serve: listening on " << url << " (database: " << backend << ")" << std::endl;
  if (bootstrap->created) {
    // Like Jupyter: the one-time link logs the first browser in; it works once.
    std::cerr << "tars serve: created the first admin user 'admin'"
              << (bootstrap->generated_password.empty()
                      ? std::string(" with the password from TARS_ADMIN_PASSWORD")
                      : " with the password " + bootstrap->generated_password)
              << "\ntars serve: log in once at " << url << "/?token=" << bootstrap->login_token
              << std::endl;
  }
  platform.server().run_until_signal();
  platform.stop();
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "serve", "Run the platform: REST + WebSocket API, evaluation workers and the dashboard");
  auto flags = std::make_shared<ServeFlags>();
  command
      ->add_option("--orchestration", flags->orchestration,
                   "sim: the orchestrator steps ops_sim; external: a system drives it over "
                   "POST /api/v1/orchestration/step; off")
      ->default_val("sim");
  command
      ->add_option("--steps-per-second", flags->steps_per_second,
                   "Orchestrator steps per second in sim mode (0: full speed)")
      ->default_val(10.0)
      ->check(CLI::NonNegativeNumber);
  command
      ->add_option("--team-eval-every", flags->team_evaluation.every_episodes,
                   "Sim mode: evaluate the team (frozen, seeded ops_sim episodes) and store the "
                   "result as an evaluation of agent 'team' every N training episodes (0: never)")
      ->default_val(100)
      ->check(CLI::NonNegativeNumber);
  command
      ->add_option("--team-eval-episodes", flags->team_evaluation.episodes,
                   "Episodes of each team evaluation")
      ->default_val(5)
      ->check(CLI::Range(1, 1000));
  add_orchestrator_flags(*command, flags->orchestrator);
  command->callback([flags] { serve(*flags); });
}

}  // namespace tars::app
