// Policies that need no training: uniform random actions, and hand-written controllers for the
// environments that have one. They are real baselines for the evaluation engine.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/eval/policy.h"

namespace tars::eval {

inline constexpr std::string_view kRandomPolicy = "random";
inline constexpr std::string_view kHeuristicPolicy = "heuristic";

// Environment ids with a heuristic: CartPole-v1, LunarLander-v3, LunarLanderContinuous-v3.
std::vector<std::string> heuristic_env_ids();

// "random": uniform actions (Discrete: integers in [0, n); Box: uniform in the bounds, which must
// be finite), the same in both policy modes. Each episode draws from its own Generator seeded by
// (seed, episode seed), so runs are reproducible and independent of the batch layout.
// "heuristic": deterministic controllers (env/classic/cartpole_heuristic.h,
// env/box2d/lunar_lander_heuristic.h; LunarLander's continuous variant by action space).
// Unknown names and environments without a heuristic are errors listing what exists.
core::Expected<std::unique_ptr<Policy>> make_builtin_policy(std::string_view name,
                                                            const env::EnvSpec& spec,
                                                            std::uint64_t seed);

}  // namespace tars::eval
