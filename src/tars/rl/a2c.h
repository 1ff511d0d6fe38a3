// Advantage Actor-Critic (Mnih et al. 2016, synchronous), as Stable-Baselines3's A2C: n-step
// rollouts over a VectorEnv, GAE, one gradient step per rollout with RMSprop (or Adam),
// value and entropy coefficients, gradient-norm clipping.
#pragma once

#include <memory>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/rl/agent.h"

namespace tars::rl {

std::vector<HyperparameterSpec> a2c_hyperparameter_schema();

core::Expected<std::unique_ptr<Agent>> make_a2c(const env::EnvSpec& spec,
                                                const Hyperparameters& hyperparameters,
                                                std::uint64_t seed);

}  // namespace tars::rl
