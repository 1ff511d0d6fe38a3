// `tars train`: resolve hyperparameters (algorithm defaults < preset < --num-envs < --set),
// train on a VectorEnv, evaluate, save a checkpoint, summarise.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/kwargs.h"

namespace tars::app {

struct TrainRequest {
  std::string algorithm;
  std::string env_id;
  env::Kwargs env_kwargs;
  std::string preset = "tars";        // "tars" (algorithm defaults) or "zoo"
  std::optional<std::int64_t> steps;  // default: the zoo budget, or 100 000
  std::optional<int> num_envs;        // overrides the preset's n_envs
  std::uint64_t seed = 0;
  std::vector<std::pair<std::string, std::string>> overrides;  // --set key=value, in order
  std::string out_dir;              // checkpoint directory; empty: do not save
  bool save_replay_buffer = false;  // also save the replay buffer (DQN, DDPG, TD3) with out_dir
  // Continue from this checkpoint of the same algorithm and environment: its weights,
  // hyperparameters (then --num-envs and --set) and training state, and its replay buffer when
  // it has one.
  std::string resume_dir;
  int eval_episodes = 20;  // final deterministic evaluation
  int eval_every = 0;      // periodic evaluation every N steps (0: none)
};

struct TrainSummary {
  std::string algorithm;
  std::string env_id;
  std::uint64_t seed = 0;
  std::int64_t steps = 0;
  double wall_seconds = 0.0;
  double steps_per_second = 0.0;
  double eval_mean_return = 0.0;
  double eval_std_return = 0.0;
  std::uint64_t peak_rss_bytes = 0;
  std::string checkpoint_dir;  // empty when not saved
  std::string content_hash;
  std::string to_json() const;  // one line
};

// Everything is validated before training starts. Progress for people goes to `progress`.
core::Expected<TrainSummary> run_training(const TrainRequest& request, std::ostream& progress);

}  // namespace tars::app
