// Twin Delayed DDPG (Fujimoto et al. 2018) and DDPG (Lillicrap et al. 2016) as Stable-Baselines3
// implements them: DDPG is TD3 with one critic, a policy delay of 1 and no target policy
// smoothing. Deterministic tanh actor, Q(s, a) critics on [s; a], replay buffer, Gaussian or
// Ornstein-Uhlenbeck exploration noise, soft (Polyak) target updates. Box action spaces only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/rl/agent.h"

namespace tars::rl {

// The hyperparameters TD3 / DDPG declare (names, bounds, reload classes, SB3 2.x defaults). The
// two schemas differ only in the defaults of n_critics, policy_delay, target_policy_noise and
// target_noise_clip.
std::vector<HyperparameterSpec> td3_hyperparameter_schema();
std::vector<HyperparameterSpec> ddpg_hyperparameter_schema();

// Build an agent for `spec` (Box actions with finite bounds; anything else is invalid_argument)
// with validated hyperparameters; every random number derives from `seed`.
core::Expected<std::unique_ptr<Agent>> make_td3(const env::EnvSpec& spec,
                                                const Hyperparameters& hyperparameters,
                                                std::uint64_t seed);
core::Expected<std::unique_ptr<Agent>> make_ddpg(const env::EnvSpec& spec,
                                                 const Hyperparameters& hyperparameters,
                                                 std::uint64_t seed);

}  // namespace tars::rl
