#include "tars/app/cli_marl_train.h"

#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "tars/app/cli_support.h"
#include "tars/app/marl_options.h"
#include "tars/app/marl_train.h"

namespace tars::app {

void add_marl_train_command(CLI::App& marl) {
  struct Options {
    MarlTrainRequest request;
    OrchestratorFlags flags;
  };
  auto options = std::make_shared<Options>();
  auto* train = marl.add_subcommand(
      "train", "Train the four agents on ops_sim and print a JSON summary line");
  train->add_option("--episodes", options->request.episodes, "Episodes to run (at least 10)")
      ->default_val(100);
  train
      ->add_option("--progress-every", options->request.progress_every,
                   "Episodes between progress lines on stderr (0: none)")
      ->default_val(10);
  train
      ->add_option("--validation-every", options->request.validation_every,
                   "Episodes between validations of the team in the run's second half; the best "
                   "validated team is evaluated after training too (0: no validation)")
      ->default_val(10);
  train
      ->add_option("--validation-episodes", options->request.validation_episodes,
                   "Held-out ops_sim episodes per validation (seeds 1000000, 1000001, ...)")
      ->default_val(200);
  train->add_option("--out", options->request.out_dir,
                    "Save the team after training: one checkpoint per agent and team.json");
  train->add_flag("--save-replay-buffers", options->request.save_replay_buffers,
                  "Include the agents' replay memories in the --out checkpoint");
  train->add_option(
      "--resume", options->request.resume_dir,
      "Continue the team saved in this directory (its settings; --set still applies)");
  add_orchestrator_flags(*train, options->flags);
  train->callback([options, train] {
    // A resumed team keeps its settings: a flag that would change one is refused by name.
    for (const char* flag :
         {"--seed", "--episode-length", "--coordination", "--pareto-rule", "--team-reward-share"}) {
      if (!options->request.resume_dir.empty() && train->count(flag) > 0) {
        fail(core::invalid_argument(fmt::format(
            "{} cannot be combined with --resume: the team's team.json sets it", flag)));
      }
    }
    auto orchestrator = orchestrator_options(options->flags);
    if (!orchestrator.ok()) fail(orchestrator.status());
    options->request.orchestrator = *orchestrator;
    auto summary = run_marl_training(options->request, std::cerr);
    if (!summary.ok()) fail(summary.status());
    std::cout << summary->to_json() << '\n';
  });
}

}  // namespace tars::app
