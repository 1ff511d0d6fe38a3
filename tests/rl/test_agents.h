// Helpers shared by the learning tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "tars/env/vector_env.h"
#include "tars/rl/agent.h"
#include "tars/rl/evaluate.h"

namespace tars::rl::test {

// A same-step VectorEnv of `n` copies, reset with `seed`.
inline std::unique_ptr<env::VectorEnv> vector_env(std::string_view id, int n, std::uint64_t seed) {
  env::VectorEnvOptions options;
  options.num_envs = n;
  auto envs = env::VectorEnv::make(id, {}, options);
  EXPECT_TRUE(envs.ok()) << envs.status().to_string();
  EXPECT_TRUE((*envs)->reset(seed).ok());
  return std::move(*envs);
}

// Deterministic mean return over 10 episodes on seeds 1000..1009 (NaN on error).
inline double eval_mean(Agent& agent, std::string_view id) {
  auto result = evaluate_agent(agent, id, {}, 10, 1000);
  EXPECT_TRUE(result.ok()) << result.status().to_string();
  return result.ok() ? result->mean_return : std::nan("");
}

}  // namespace tars::rl::test
