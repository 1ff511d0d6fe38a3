// Proximal Policy Optimization (Schulman et al. 2017), clipped surrogate objective, as
// Stable-Baselines3's PPO: separate actor and critic MLPs, GAE, advantage normalisation,
// optional value clipping, minibatch epochs, target-KL early stop, linear schedules.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/rl/agent.h"

namespace tars::rl {

// The hyperparameters PPO declares (names, bounds, reload classes, SB3 defaults).
std::vector<HyperparameterSpec> ppo_hyperparameter_schema();

// Builds a PPO agent for `spec` (Discrete or Box actions) with validated hyperparameters; every
// random number derives from `seed`.
core::Expected<std::unique_ptr<Agent>> make_ppo(const env::EnvSpec& spec,
                                                const Hyperparameters& hyperparameters,
                                                std::uint64_t seed);

}  // namespace tars::rl
