// Acrobot-v1 physics beyond the reference trajectories.
#include "tars/env/classic/acrobot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "env_test_util.h"

namespace tars::env {
namespace {

using test::make_env;
using test::reset_obs;

TEST(AcrobotTest, HangingStillNeverReachesTheBarAndVelocitiesStayBounded) {
  auto env = make_env("Acrobot-v1");
  reset_obs(*env, 11);
  int steps = 0;
  StepResult result;
  do {
    auto stepped = env->step(1);  // zero torque
    ASSERT_TRUE(stepped.ok());
    result = *stepped;
    ++steps;
    EXPECT_EQ(result.reward, -1.0);
    const auto obs = env->observation();
    EXPECT_NEAR(obs[0] * obs[0] + obs[1] * obs[1], 1.0f, 1e-6f);
    EXPECT_LE(std::abs(obs[4]), static_cast<float>(4 * std::numbers::pi));
    EXPECT_LE(std::abs(obs[5]), static_cast<float>(9 * std::numbers::pi));
  } while (!result.terminated && !result.truncated);
  EXPECT_FALSE(result.terminated);
  EXPECT_EQ(steps, 500);
}

TEST(AcrobotTest, PumpingEnergyReachesTheBarWithZeroReward) {
  auto env = make_env("Acrobot-v1");
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    reset_obs(*env, seed);
    StepResult result;
    int steps = 0;
    do {
      // Torque along the actuated joint's velocity does positive work: the swing grows.
      auto stepped = env->step(env->observation()[5] > 0 ? 2 : 0);
      ASSERT_TRUE(stepped.ok());
      result = *stepped;
      ++steps;
    } while (!result.terminated && !result.truncated);
    EXPECT_TRUE(result.terminated) << "seed " << seed << ", after " << steps << " steps";
    EXPECT_LT(steps, 200) << "seed " << seed;
    EXPECT_EQ(result.reward, 0.0);
    const auto& s = static_cast<classic::Acrobot&>(*env).state();
    EXPECT_GT(-std::cos(s.theta1) - std::cos(s.theta1 + s.theta2), 1.0);
  }
}

TEST(AcrobotTest, ResetStateIsRoundedToFloat32) {
  classic::Acrobot env;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    ASSERT_TRUE(env.reset(seed).ok());
    const classic::Acrobot::State& s = env.state();
    for (double v : {s.theta1, s.theta2, s.dtheta1, s.dtheta2}) {
      EXPECT_EQ(v, static_cast<float>(v));
      EXPECT_LE(std::abs(v), 0.1);
    }
  }
}

}  // namespace
}  // namespace tars::env
