// Episodes of a frozen agent on a fresh environment: the evaluation `tars train` reports (the
// full evaluation engine with baselines and regressions is src/tars/eval, later).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/kwargs.h"
#include "tars/rl/agent.h"

namespace tars::rl {

struct EvaluationResult {
  std::vector<double> returns;  // one per episode
  double mean_return = 0.0;
  double std_return = 0.0;  // population standard deviation, as SB3's evaluate_policy (np.std)
};

// Runs `episodes` episodes one after another on one env, reset with seeds seed, seed+1, ...
core::Expected<EvaluationResult> evaluate_agent(Agent& agent, std::string_view env_id,
                                                const env::Kwargs& kwargs, int episodes,
                                                std::uint64_t seed, bool deterministic = true);

}  // namespace tars::rl
