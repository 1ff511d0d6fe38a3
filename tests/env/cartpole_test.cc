// CartPole-v1 physics and rewards beyond the reference trajectories.
#include "tars/env/classic/cartpole.h"

#include <gtest/gtest.h>

#include <cmath>

#include "env_test_util.h"

namespace tars::env {
namespace {

using test::make_env;
using test::reset_obs;

TEST(CartPoleTest, PoleFallsWhenAlwaysPushedOneWay) {
  auto env = make_env("CartPole-v1");
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    reset_obs(*env, seed);
    int steps = 0;
    StepResult result;
    do {
      auto stepped = env->step(static_cast<std::int64_t>(seed % 2));
      ASSERT_TRUE(stepped.ok());
      result = *stepped;
      ++steps;
      EXPECT_EQ(result.reward, 1.0);
    } while (!result.terminated && !result.truncated);
    EXPECT_TRUE(result.terminated);
    EXPECT_FALSE(result.truncated);
    EXPECT_LT(steps, 50) << "seed " << seed;
    const auto& state = static_cast<classic::CartPole&>(*env).state();
    EXPECT_TRUE(std::abs(state.theta) > classic::CartPole::kThetaThresholdRadians ||
                std::abs(state.x) > classic::CartPole::kXThreshold);
  }
}

TEST(CartPoleTest, SuttonBartoRewardIsMinusOneOnFailureOnly) {
  auto env = make_env("CartPole-v1", {{"sutton_barto_reward", true}});
  reset_obs(*env, 3);
  double total = 0.0;
  StepResult result;
  do {
    auto stepped = env->step(0);
    ASSERT_TRUE(stepped.ok());
    result = *stepped;
    if (!result.terminated) {
      EXPECT_EQ(result.reward, 0.0);
    }
    total += result.reward;
  } while (!result.terminated);
  EXPECT_EQ(result.reward, -1.0);
  EXPECT_EQ(total, -1.0);
}

TEST(CartPoleTest, BalancingControllerIsTruncatedAt500) {
  auto env = make_env("CartPole-v1");
  reset_obs(*env, 7);
  int steps = 0;
  StepResult result;
  do {
    const auto obs = env->observation();
    // PD on angle and angular velocity, with a weak pull of the cart towards the centre.
    const double push = obs[2] + 0.5 * obs[3] + 0.01 * obs[0] + 0.1 * obs[1];
    auto stepped = env->step(push > 0 ? 1 : 0);
    ASSERT_TRUE(stepped.ok());
    result = *stepped;
    ++steps;
  } while (!result.terminated && !result.truncated);
  EXPECT_FALSE(result.terminated);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(steps, 500);
}

TEST(CartPoleTest, ResetDrawsWithinTheBounds) {
  auto env = make_env("CartPole-v1");
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    for (float v : reset_obs(*env, seed)) {
      EXPECT_GE(v, -0.05f);
      EXPECT_LE(v, 0.05f);
    }
    for (float v : reset_obs(*env, seed, {{"low", 0.3}, {"high", 0.4}})) {
      EXPECT_GE(v, 0.3f);
      EXPECT_LE(v, 0.4f);
    }
  }
}

}  // namespace
}  // namespace tars::env
