// Small helpers shared by the environment tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tars/env/env.h"
#include "tars/env/registry.h"

namespace tars::env::test {

// gym.make(id, **kwargs), failing the test (and returning null) on an error.
inline std::unique_ptr<Env> make_env(std::string_view id, const Kwargs& kwargs = {}) {
  auto made = make(id, kwargs);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return made.ok() ? std::move(*made) : nullptr;
}

// reset(seed, options) as a copy of the observation; empty (and a test failure) on an error.
inline std::vector<float> reset_obs(Env& env, std::uint64_t seed,
                                    const ResetOptions& options = {}) {
  auto obs = env.reset(seed, options);
  EXPECT_TRUE(obs.ok()) << obs.status().to_string();
  return obs.ok() ? std::vector<float>(obs->begin(), obs->end()) : std::vector<float>{};
}

}  // namespace tars::env::test
