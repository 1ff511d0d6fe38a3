// Gymnasium's `heuristic(env, s)` for LunarLander: a hand-tuned PD controller that points the
// lander at the pad and holds a descent profile. Used for demonstrations and as a statistical
// check of the environment (Gymnasium's 1000-episode means: 243.4 discrete, 282.8 continuous).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace tars::env {

// The action for the discrete env (0 noop, 1 left engine, 2 main engine, 3 right engine), given
// the 8-number observation.
std::int64_t lunar_lander_heuristic_discrete(std::span<const float> observation);

// The action for the continuous env: [main throttle, lateral throttle], each in [-1, 1].
std::array<float, 2> lunar_lander_heuristic_continuous(std::span<const float> observation);

}  // namespace tars::env
