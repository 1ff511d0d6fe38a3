// DQN's hyperparameters as the algorithm reads them; dqn_config.cc also defines their schema
// (dqn_hyperparameter_schema, declared in dqn.h).
#pragma once

#include <cstdint>

#include "tars/nn/schedule.h"
#include "tars/rl/hyperparameters.h"

namespace tars::rl {

// Every field is a term of the paper or a Stable-Baselines3 DQN argument of the same name.
struct DqnConfig {
  // clang-format off
  nn::Schedule learning_rate = nn::Schedule::constant(1e-4);  // α, per training phase
  std::int64_t buffer_size = 1'000'000;   // N: replay memory capacity
  std::int64_t learning_starts = 100;     // replay start size: random actions, no update before
  int batch_size = 32;                    // minibatch size
  double tau = 1.0;                       // τ: Polyak coefficient of the target update
  double gamma = 0.99;                    // γ: discount
  int train_freq = 4;                     // update frequency, in VectorEnv steps
  int gradient_steps = 1;                 // updates per training phase (-1: one per env step)
  std::int64_t target_update_interval = 10'000;  // C: env steps between target updates
  double exploration_fraction = 0.1;      // share of training over which ε decays
  double exploration_initial_eps = 1.0;   // ε at the start
  double exploration_final_eps = 0.05;    // ε after exploration_fraction
  double exploration_decay = 0.995;       // online: ε factor per episode
  double max_grad_norm = 10.0;            // global gradient-norm clip
  bool double_q = false;                  // double DQN target (van Hasselt et al. 2016)
  bool dueling = false;                   // dueling head (Wang et al. 2016)
  bool prioritized_replay = false;        // proportional PER (Schaul et al. 2016)
  double prioritized_replay_alpha = 0.6;  // PER α
  double prioritized_replay_beta0 = 0.4;  // PER β0
  double prioritized_replay_eps = 1e-6;   // PER ε
  std::int64_t prioritized_replay_beta_steps = 100'000;  // online: β annealing span
  int n_envs = 1;                         // environments per VectorEnv step
  // clang-format on

  static DqnConfig from(const Hyperparameters& h);
};

}  // namespace tars::rl
