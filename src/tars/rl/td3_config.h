// TD3's and DDPG's hyperparameters as the algorithm reads them; td3_config.cc also defines their
// schemas (td3_hyperparameter_schema, ddpg_hyperparameter_schema, declared in td3.h).
#pragma once

#include <cstdint>

#include "tars/nn/schedule.h"
#include "tars/rl/action_noise.h"
#include "tars/rl/hyperparameters.h"

namespace tars::rl {

// Every field is a hyperparameter of the papers or of SB3's implementation.
struct Td3Config {
  nn::Schedule learning_rate = nn::Schedule::constant(1e-3);  // α, for actor and critics
  std::int64_t buffer_size = 1'000'000;                       // N: replay buffer capacity
  std::int64_t learning_starts = 100;  // uniformly random actions before learning
  int batch_size = 256;                // N: minibatch size
  double tau = 0.005;                  // τ: θ' ← τ θ + (1 − τ) θ'
  double gamma = 0.99;                 // γ: discount
  int train_freq = 1;                  // env steps (per copy) between rounds of updates
  int gradient_steps = 1;              // updates per round (-1: train_freq · n_envs)
  int policy_delay = 2;                // d: actor and targets updated every d critic updates
  double target_policy_noise = 0.2;    // σ̃: target policy smoothing ε ~ N(0, σ̃)
  double target_noise_clip = 0.5;      // c: ε clipped to [-c, c]
  int n_critics = 2;                   // clipped double Q over Q_θ1..Q_θn (DDPG: 1)
  ActionNoiseType noise_type = ActionNoiseType::kNone;  // exploration process N
  double noise_std = 0.1;                               // σ of N in the [-1, 1] action scale
  double critic_learning_rate = 0.0;                    // the critics' α (0: learning_rate)
  double critic_weight_decay = 0.0;                     // L2 regularisation of the critics
  int n_envs = 1;                                       // environments per VectorEnv step

  static Td3Config from(const Hyperparameters& h);
};

}  // namespace tars::rl
