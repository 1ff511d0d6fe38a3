#include "tars/app/cli_env.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tars/app/cli_support.h"
#include "tars/app/env_bench.h"
#include "tars/app/rollout.h"
#include "tars/core/log.h"
#include "tars/env/kwargs_json.h"
#include "tars/env/registry.h"
#include "tars/env/spec_json.h"

namespace tars::app {

namespace {

void list_environments(bool as_json) {
  if (!as_json) {
    std::cout << fmt::format("{:<26} {:<17} {:<17} {:>5}  {}\n", "id", "observation", "action",
                             "steps", "summary");
  }
  for (const env::Registration& registration : env::registrations()) {
    auto made = env::make(registration.id);
    if (!made.ok()) fail(made.status());
    const env::EnvSpec& spec = (*made)->spec();
    if (as_json) {
      auto line = env::environment_json(registration);
      if (!line.ok()) fail(line.status());
      std::cout << line->dump() << '\n';
      continue;
    }
    std::cout << fmt::format("{:<26} {:<17} {:<17} {:>5}  {}\n", spec.id,
                             spec.observation_space.shape_text(), spec.action_space.shape_text(),
                             spec.max_episode_steps, registration.summary);
  }
}

void add_list(CLI::App& env_app) {
  auto* list = env_app.add_subcommand("list", "List the registered environments and their spaces");
  auto as_json = std::make_shared<bool>(false);
  list->add_flag("--json", *as_json, "One JSON object per environment");
  list->callback([as_json] { list_environments(*as_json); });
}

void add_kwargs_option(CLI::App& command, std::string& kwargs_text) {
  command
      .add_option("--kwargs", kwargs_text,
                  R"(Environment kwargs as JSON, e.g. '{"continuous": true}')")
      ->default_val("{}");
}

void add_rollout(CLI::App& env_app) {
  struct Options {
    std::string env_id, kwargs = "{}", actions_path;
    std::uint64_t seed = 0;
  };
  auto options = std::make_shared<Options>();
  auto* rollout = env_app.add_subcommand(
      "rollout", "Replay actions from a file and print one JSON line per step (reference format)");
  rollout->add_option("--env", options->env_id, "Environment id")->required();
  add_kwargs_option(*rollout, options->kwargs);
  rollout->add_option("--seed", options->seed, "reset(seed=...)")->required();
  rollout
      ->add_option("--actions", options->actions_path,
                   "File with one action per line (integer or JSON array); - for stdin")
      ->required();
  rollout->callback([options] {
    auto kwargs = env::parse_kwargs(options->kwargs);
    if (!kwargs.ok()) fail(kwargs.status());
    std::ifstream file;
    if (options->actions_path != "-") {
      file.open(options->actions_path);
      if (!file) {
        fail(core::io_error("cannot open actions file " + options->actions_path));
      }
    }
    auto actions = read_actions(options->actions_path == "-" ? std::cin : file);
    if (!actions.ok()) fail(actions.status());
    RolloutRequest request{options->env_id, *kwargs, options->seed, options->actions_path};
    auto unused = run_rollout(request, *actions, std::cout);
    if (!unused.ok()) fail(unused.status());
    if (*unused > 0) {
      core::log_warn("the episode ended; {} remaining action(s) were not used", *unused);
    }
  });
}

void add_bench(CLI::App& env_app) {
  struct Options {
    EnvBenchRequest request;
    std::string kwargs = "{}";
  };
  auto options = std::make_shared<Options>();
  auto* bench = env_app.add_subcommand(
      "bench", "Measure environment steps per second and print one JSON line");
  bench->add_option("--env", options->request.env_id, "Environment id")->required();
  add_kwargs_option(*bench, options->kwargs);
  bench->add_option("--steps", options->request.steps, "Environment steps in total")
      ->default_val(1'000'000)
      ->check(CLI::PositiveNumber);
  bench->add_option("--num-envs", options->request.num_envs, "Copies in a VectorEnv (1: plain Env)")
      ->default_val(1)
      ->check(CLI::Range(1, 4096));
  bench->add_option("--threads", options->request.threads, "Threads stepping the copies")
      ->default_val(1)
      ->check(CLI::Range(1, 256));
  bench->add_option("--seed", options->request.seed, "Seed for resets and random actions")
      ->default_val(0);
  bench->callback([options] {
    auto kwargs = env::parse_kwargs(options->kwargs);
    if (!kwargs.ok()) fail(kwargs.status());
    options->request.kwargs = *kwargs;
    auto result = bench_env(options->request);
    if (!result.ok()) fail(result.status());
    const EnvBenchRequest& request = options->request;
    nlohmann::json line = {{"env", request.env_id},
                           {"num_envs", request.num_envs},
                           {"threads", request.threads},
                           {"steps", result->steps},
                           {"episodes", result->episodes},
                           {"seconds", result->seconds},
                           {"steps_per_second", result->steps_per_second()}};
    std::cout << line.dump() << '\n';
  });
}

}  // namespace

void add_env_commands(CLI::App& app) {
  auto* env_app = app.add_subcommand("env", "Environments: list, replay, benchmark");
  env_app->require_subcommand(1);
  add_list(*env_app);
  add_rollout(*env_app);
  add_bench(*env_app);
}

}  // namespace tars::app
