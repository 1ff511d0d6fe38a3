// `tars marl train`: the orchestrator headless on ops_sim for N episodes, compared with its own
// start and with the fixed heuristic team on the same seeds, as one JSON summary line.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "tars/app/marl_validation.h"
#include "tars/core/status.h"
#include "tars/marl/orchestrator.h"

namespace tars::app {

struct MarlTrainRequest {
  int episodes = 100;
  marl::OrchestratorOptions orchestrator = {};
  int progress_every = 10;           // episodes between progress lines (0: none)
  std::string out_dir;               // team checkpoint written after training; empty: none
  bool save_replay_buffers = false;  // the team checkpoint includes the replay memories
  // Continue the team saved here: its settings and agents replace `orchestrator`'s, whose
  // hyperparameter overrides then apply on top.
  std::string resume_dir;
  // Every validation_every episodes of the run's second half (0: never), the team is evaluated
  // on validation_episodes held-out seeds (marl_validation.h), and the best one is evaluated on
  // the final seeds after training too.
  int validation_every = 10;
  int validation_episodes = 200;
};

struct MarlTrainSummary {
  int episodes = 0;
  std::int64_t start_episode = 0;  // episodes the team had run before (resumed)
  std::uint64_t seed = 0;
  std::string mode;
  std::int64_t steps = 0;
  double wall_seconds = 0.0;
  double validation_seconds = 0.0;  // part of wall_seconds; steps_per_second leaves it out
  double steps_per_second = 0.0;
  // Mean global reward per step over the first and the last 10% of the episodes, and of the
  // heuristic team on the last 10%'s seeds; all z-scored against the heuristic team's reward
  // statistics, so 0 is "as good as the heuristic team" on average.
  double initial_global_reward = 0.0;
  double final_global_reward = 0.0;
  double heuristic_global_reward = 0.0;
  // The trained team acting deterministically, without learning, on the heuristic's seeds.
  double evaluation_global_reward = 0.0;
  marl::AgentValues initial_returns = {};  // per-agent episode return, first 10%
  marl::AgentValues final_returns = {};    // last 10%
  marl::AgentValues heuristic_returns = {};
  marl::AgentValues evaluation_returns = {};
  double final_conflict_rate = 0.0;  // share of steps with an executed conflict, last 10%
  double heuristic_conflict_rate = 0.0;
  double evaluation_conflict_rate = 0.0;
  std::uint64_t peak_rss_bytes = 0;
  // Validation (empty without): every result, and the best team's evaluation like the final one.
  std::vector<Validation> validations;
  std::optional<Validation> best;
  double best_evaluation_global_reward = 0.0;
  marl::AgentValues best_evaluation_returns = {};
  double best_evaluation_conflict_rate = 0.0;

  std::string to_json() const;
};

// Progress lines (JSON) go to `progress`.
core::Expected<MarlTrainSummary> run_marl_training(const MarlTrainRequest& request,
                                                   std::ostream& progress);

}  // namespace tars::app
