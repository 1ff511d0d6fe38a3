#include "tars/app/cli_train.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "tars/app/cli_support.h"
#include "tars/app/train.h"
#include "tars/env/kwargs_json.h"
#include "tars/rl/algorithms.h"
#include "tars/rl/hyperparameters.h"

namespace tars::app {

void add_train_command(CLI::App& app) {
  struct Options {
    TrainRequest request;
    std::string kwargs = "{}";
    std::vector<std::string> sets;
    std::int64_t steps = 0;
    int num_envs = 0;
  };
  auto options = std::make_shared<Options>();
  auto* train = app.add_subcommand(
      "train", "Train one agent, save a checkpoint and print a JSON summary line");
  train
      ->add_option("--algo", options->request.algorithm,
                   fmt::format("Algorithm ({})", fmt::join(rl::algorithm_names(), ", ")))
      ->required();
  train->add_option("--env", options->request.env_id, "Environment id")->required();
  train->add_option("--kwargs", options->kwargs, "Environment kwargs as JSON")->default_val("{}");
  train
      ->add_option("--preset", options->request.preset,
                   "zoo: RL Baselines3 Zoo's tuned values; tars: the algorithm's defaults")
      ->default_val("tars");
  train->add_option("--steps", options->steps, "Environment steps (default: the preset's budget)");
  train->add_option("--num-envs", options->num_envs, "Environments stepped together (n_envs)");
  train->add_option("--seed", options->request.seed, "Seed of every random number")->default_val(0);
  train->add_option("--set", options->sets, "Hyperparameter override key=value (repeatable)");
  train->add_option("--out", options->request.out_dir, "Checkpoint directory (default: none)");
  train->add_flag("--save-replay-buffer", options->request.save_replay_buffer,
                  "Also save the replay buffer (dqn, ddpg, td3) in the checkpoint");
  train->add_option("--resume", options->request.resume_dir,
                    "Continue from a checkpoint of the same algorithm and environment, with its "
                    "training state and replay buffer");
  train
      ->add_option("--eval-episodes", options->request.eval_episodes,
                   "Deterministic episodes of the final evaluation")
      ->default_val(20);
  train
      ->add_option("--eval-every", options->request.eval_every,
                   "Evaluate 5 episodes every N steps while training (0: never)")
      ->default_val(0);
  train->callback([options] {
    TrainRequest& request = options->request;
    auto kwargs = env::parse_kwargs(options->kwargs);
    if (!kwargs.ok()) fail(kwargs.status());
    request.env_kwargs = *kwargs;
    if (options->steps != 0) request.steps = options->steps;
    if (options->num_envs != 0) request.num_envs = options->num_envs;
    for (const std::string& text : options->sets) {
      auto assignment = rl::parse_assignment(text);
      if (!assignment.ok()) fail(core::invalid_argument("--set: " + assignment.status().message()));
      request.overrides.push_back(*assignment);
    }
    auto summary = run_training(request, std::cerr);
    if (!summary.ok()) fail(summary.status());
    std::cout << summary->to_json() << '\n';
  });
}

}  // namespace tars::app
