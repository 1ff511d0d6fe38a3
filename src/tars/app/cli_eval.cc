#include "tars/app/cli_eval.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "tars/app/cli_support.h"
#include "tars/app/database.h"
#include "tars/app/global_options.h"
#include "tars/env/kwargs_json.h"
#include "tars/eval/config_keys.h"
#include "tars/store/record_json.h"
#include "tars/eval/runner.h"
#include "tars/store/config_keys.h"

namespace tars::app {
namespace {

struct EvalOptions {
  eval::EvaluationJob job;
  std::string policy;
  std::string checkpoint;
  std::string kwargs = "{}";
  std::string mode = "deterministic";
  double success_threshold = 0.0;
  bool no_promote = false;
  bool fail_on_regression = false;
};

// Exit status of a completed evaluation that `--fail-on-regression` turns into a failure.
constexpr int kRegressionExitCode = 2;

void run(EvalOptions& options, bool threshold_given) {
  eval::EvaluationJob& job = options.job;
  job.policy = {.builtin = options.policy, .checkpoint_dir = options.checkpoint};
  auto kwargs = env::parse_kwargs(options.kwargs);
  if (!kwargs.ok()) fail(kwargs.status());
  job.kwargs = *kwargs;
  auto mode = store::parse_policy_mode(options.mode);
  if (!mode.ok()) fail(mode.status());
  job.mode = *mode;
  if (threshold_given) job.success_threshold = options.success_threshold;
  job.promote = !options.no_promote;

  const core::Config& config = global_config();
  // Without a configured database the same path runs on a private in-memory one: the result
  // is judged (failure rate) but neither stored nor compared with a baseline.
  const bool stored = config.source(store::kDatabaseUrlKey) != core::ConfigSource::kDefault;
  DatabaseSettings settings = database_settings(config);
  if (!stored) settings.url = "sqlite://:memory:";
  auto database = open_migrated_database(settings);
  if (!database.ok()) fail(database.status());

  auto pending = eval::pending_record(job);
  if (!pending.ok()) fail(pending.status());
  auto id = (*database)->evaluations().create(*pending);
  if (!id.ok()) fail(id.status());
  job.evaluation_id = *id;
  std::optional<store::BaselineRecord> promoted;
  auto result = eval::run_job(**database, job,
                              {.thresholds = eval::regression_thresholds(config),
                               .listener = [&](const eval::EvaluationEvent& event) {
                                 if (event.promoted) promoted = *event.promoted;
                               }});
  if (!result.ok()) fail(result.status());
  auto json = store::to_json(*result);
  json["stored"] = stored;
  json["promoted_baseline"] = promoted ? store::to_json(*promoted) : nlohmann::json();
  std::cout << json.dump() << '\n';
  if (options.fail_on_regression && result->regression && result->regression->detected) {
    throw CLI::RuntimeError(kRegressionExitCode);
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  auto* command = app.add_subcommand(
      "eval",
      "Evaluate a built-in policy or a checkpoint; with --database, store the result and judge it "
      "against the baseline");
  auto* policy = command->add_option("--policy", options->policy, "Built-in policy")
                     ->check(CLI::IsMember({"random", "heuristic"}));
  auto* checkpoint = command->add_option("--checkpoint", options->checkpoint,
                                         "Checkpoint directory written by `tars train --out`");
  policy->excludes(checkpoint);
  command->add_option("--env", options->job.environment,
                      "Environment id (default for a checkpoint: the one it was trained on)");
  command->add_option("--kwargs", options->kwargs, "Environment kwargs as JSON")->default_val("{}");
  command->add_option("--episodes", options->job.episodes, "Episodes to run")->default_val(10);
  command->add_option("--seed", options->job.seed, "Episode i is reset with seed + i")
      ->default_val(0);
  command->add_option("--mode", options->mode, "Policy mode")
      ->check(CLI::IsMember({"deterministic", "stochastic"}))
      ->default_val("deterministic");
  command->add_option("--agent-id", options->job.agent_id,
                      "Agent id stored with the result (default: <agent_type>/<environment>)");
  command
      ->add_option("--budget", options->job.budget_seconds, "Wall-clock limit in seconds (0: none)")
      ->default_val(0.0);
  auto* threshold = command->add_option("--success-threshold", options->success_threshold,
                                        "Return at or above which an episode succeeds "
                                        "(default: the environment's reward threshold)");
  command->add_flag("--no-promote", options->no_promote, "Never make this result the new baseline");
  command->add_flag("--fail-on-regression", options->fail_on_regression,
                    "Exit with status 2 when a regression is detected");
  command->callback([options, threshold] { run(*options, threshold->count() > 0); });
}

}  // namespace tars::app
