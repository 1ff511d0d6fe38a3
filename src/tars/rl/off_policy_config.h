// The hyperparameters DQN and TD3 / DDPG share under the same names (SB3's OffPolicyAlgorithm),
// read once for both configs.
#pragma once

#include "tars/rl/hyperparameters.h"

namespace tars::rl {

// Sets config's learning_rate, buffer_size, learning_starts, batch_size, tau, gamma,
// train_freq and gradient_steps from `h`.
template <typename Config>
void read_off_policy_fields(const Hyperparameters& h, Config& c) {
  c.learning_rate = h.schedule("learning_rate");
  c.buffer_size = h.integer("buffer_size");
  c.learning_starts = h.integer("learning_starts");
  c.batch_size = static_cast<int>(h.integer("batch_size"));
  c.tau = h.number("tau");
  c.gamma = h.number("gamma");
  c.train_freq = static_cast<int>(h.integer("train_freq"));
  c.gradient_steps = static_cast<int>(h.integer("gradient_steps"));
}

}  // namespace tars::rl
