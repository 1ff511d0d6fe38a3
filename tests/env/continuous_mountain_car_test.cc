// MountainCarContinuous-v0 physics and rewards beyond the reference trajectories.
#include "tars/env/classic/continuous_mountain_car.h"

#include <gtest/gtest.h>

#include <vector>

#include "env_test_util.h"

namespace tars::env {
namespace {

using test::make_env;
using test::reset_obs;

TEST(MountainCarContinuousTest, PumpingEarnsTheGoalBonus) {
  auto env = make_env("MountainCarContinuous-v0");
  reset_obs(*env, 1);
  StepResult last;
  int steps = 0;
  do {
    // Full force in the direction of motion pumps energy into the car.
    const std::vector<float> action = {env->observation()[1] >= 0.0f ? 1.0f : -1.0f};
    auto stepped = env->step(action);
    ASSERT_TRUE(stepped.ok());
    last = *stepped;
    ++steps;
    if (!last.terminated) {
      EXPECT_DOUBLE_EQ(last.reward, -0.1);
    }
  } while (!last.terminated && !last.truncated);
  EXPECT_TRUE(last.terminated);
  EXPECT_LT(steps, 999);
  EXPECT_DOUBLE_EQ(last.reward, 100.0 - 0.1);
  EXPECT_GE(env->observation()[0], 0.45f);
}

TEST(MountainCarContinuousTest, StateIsStoredAsFloat32AfterEachStep) {
  classic::ContinuousMountainCar env;
  ASSERT_TRUE(env.reset(4).ok());
  const std::vector<float> action = {0.3f};
  for (int t = 0; t < 20; ++t) {
    ASSERT_TRUE(env.step(action).ok());
    EXPECT_EQ(env.state().position, static_cast<float>(env.state().position));
    EXPECT_EQ(env.state().velocity, static_cast<float>(env.state().velocity));
  }
}

}  // namespace
}  // namespace tars::env
