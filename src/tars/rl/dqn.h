// Deep Q-Network (Mnih et al. 2015, "Human-level control through deep reinforcement learning")
// as Stable-Baselines3's DQN: ε-greedy exploration on a linear schedule, experience replay, a
// target network (hard copy every target_update_interval steps or Polyak averaging with τ), Huber
// loss and gradient-norm clipping. Options beyond SB3, all off by default so that SB3 and RL Zoo
// presets mean the same thing here: double DQN (van Hasselt et al. 2016), a dueling head (Wang et
// al. 2016) and proportional prioritized replay (Schaul et al. 2016). Discrete actions only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/rl/agent.h"

namespace tars::rl {

// The hyperparameters DQN declares (names, bounds, reload classes, SB3 defaults).
std::vector<HyperparameterSpec> dqn_hyperparameter_schema();

// Builds a DQN agent for `spec` (Discrete actions only) with validated hyperparameters. The
// replay memory is allocated here, so a buffer_size that does not fit in memory is an error
// naming the sizes before any training starts. Every random number derives from `seed`.
core::Expected<std::unique_ptr<Agent>> make_dqn(const env::EnvSpec& spec,
                                                const Hyperparameters& hyperparameters,
                                                std::uint64_t seed);

}  // namespace tars::rl
