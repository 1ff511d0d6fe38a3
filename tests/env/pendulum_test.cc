// Pendulum-v1 physics and rewards beyond the reference trajectories.
#include "tars/env/classic/pendulum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "env_test_util.h"
#include "tars/core/rng.h"

namespace tars::env {
namespace {

using test::make_env;
using test::reset_obs;

TEST(PendulumTest, NeverTerminatesTruncatesAt200AndRewardsStayInRange) {
  auto env = make_env("Pendulum-v1");
  core::Generator actions(7);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    reset_obs(*env, seed);
    int steps = 0;
    StepResult result;
    do {
      const std::vector<float> action = {static_cast<float>(actions.uniform(-3.0, 3.0))};
      auto stepped = env->step(action);
      ASSERT_TRUE(stepped.ok());
      result = *stepped;
      ++steps;
      EXPECT_FALSE(result.terminated);
      EXPECT_LE(result.reward, 0.0);
      EXPECT_GE(result.reward, -16.2736044);
      const auto obs = env->observation();
      EXPECT_NEAR(obs[0] * obs[0] + obs[1] * obs[1], 1.0f, 1e-6f);
      EXPECT_LE(std::abs(obs[2]), 8.0f);
    } while (!result.truncated);
    EXPECT_EQ(steps, 200);
  }
}

TEST(PendulumTest, GravityKwargChangesTheDynamics) {
  auto earth = make_env("Pendulum-v1");
  auto moon = make_env("Pendulum-v1", {{"g", 1.62}});
  reset_obs(*earth, 0);
  reset_obs(*moon, 0);
  const std::vector<float> none = {0.0f};
  ASSERT_TRUE(earth->step(none).ok());
  ASSERT_TRUE(moon->step(none).ok());
  // Same start; the weaker pull changes the angular velocity less.
  const std::vector<float> start = reset_obs(*make_env("Pendulum-v1"), 0);
  EXPECT_LT(std::abs(moon->observation()[2] - start[2]),
            std::abs(earth->observation()[2] - start[2]));
}

TEST(PendulumTest, ResetOptionsSetTheBounds) {
  auto env = make_env("Pendulum-v1");
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const std::vector<float> obs = reset_obs(*env, seed, {{"x_init", 0.0}, {"y_init", 0.25}});
    EXPECT_EQ(obs[0], 1.0f);  // theta == 0
    EXPECT_EQ(obs[1], 0.0f);
    EXPECT_LE(std::abs(obs[2]), 0.25f);
  }
}

TEST(PendulumTest, RewardChargesTheStateBeforeTheUpdate) {
  classic::Pendulum env;
  ASSERT_TRUE(env.reset(9).ok());
  for (int t = 0; t < 50; ++t) {
    const classic::Pendulum::State before = env.state();
    const float u = t % 2 == 0 ? 1.5f : -2.5f;  // -2.5 is clipped to -2 in both dynamics and cost
    auto result = env.step(std::vector<float>{u});
    ASSERT_TRUE(result.ok());
    const double clipped = std::clamp(static_cast<double>(u), -2.0, 2.0);
    const double angle = std::remainder(before.theta, 2 * std::numbers::pi);
    const double cost =
        angle * angle + 0.1 * before.theta_dot * before.theta_dot + 0.001 * clipped * clipped;
    EXPECT_NEAR(result->reward, -cost, 1e-12);
  }
}

}  // namespace
}  // namespace tars::env
