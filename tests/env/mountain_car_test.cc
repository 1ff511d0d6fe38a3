// MountainCar-v0 physics beyond the reference trajectories.
#include "tars/env/classic/mountain_car.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "env_test_util.h"

namespace tars::env {
namespace {

using test::make_env;
using test::reset_obs;

// Pushing in the direction of motion pumps energy into the car.
std::int64_t pumping_action(const Env& env) { return env.observation()[1] >= 0.0f ? 2 : 0; }

// Runs the pumping policy to the end of the episode; returns the number of steps.
int run_pumping_policy(Env& env, StepResult& last) {
  int steps = 0;
  do {
    auto stepped = env.step(pumping_action(env));
    EXPECT_TRUE(stepped.ok());
    if (!stepped.ok()) break;
    last = *stepped;
    ++steps;
    EXPECT_GE(env.observation()[0], -1.2f);
    EXPECT_LE(std::abs(env.observation()[1]), 0.07f);
  } while (!last.terminated && !last.truncated);
  return steps;
}

TEST(MountainCarTest, IdleCarIsTruncatedAt200) {
  auto env = make_env("MountainCar-v0");
  reset_obs(*env, 0);
  double total = 0.0;
  StepResult result;
  do {
    auto stepped = env->step(1);
    ASSERT_TRUE(stepped.ok());
    result = *stepped;
    total += result.reward;
  } while (!result.terminated && !result.truncated);
  EXPECT_TRUE(result.truncated);
  EXPECT_FALSE(result.terminated);
  EXPECT_EQ(total, -200.0);
}

TEST(MountainCarTest, PumpingReachesTheGoal) {
  auto env = make_env("MountainCar-v0");
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    reset_obs(*env, seed);
    StepResult last;
    const int steps = run_pumping_policy(*env, last);
    EXPECT_TRUE(last.terminated) << "seed " << seed;
    EXPECT_LT(steps, 200);
    EXPECT_GE(env->observation()[0], 0.5f);
  }
}

TEST(MountainCarTest, UnreachableGoalVelocityNeverTerminates) {
  auto env = make_env("MountainCar-v0", {{"goal_velocity", 0.08}});
  reset_obs(*env, 0);
  StepResult last;
  run_pumping_policy(*env, last);
  EXPECT_FALSE(last.terminated);
  EXPECT_TRUE(last.truncated);
}

TEST(MountainCarTest, LeftWallIsInelastic) {
  classic::MountainCar env;
  int hits = 0;
  for (std::uint64_t seed : {2, 3}) {  // seeds whose pumping swing reaches the wall
    ASSERT_TRUE(env.reset(seed).ok());
    bool done = false;
    while (!done) {
      auto stepped = env.step(pumping_action(env));
      ASSERT_TRUE(stepped.ok());
      done = stepped->terminated || stepped->truncated;
      if (env.state().position == classic::MountainCar::kMinPosition) {
        ++hits;
        EXPECT_EQ(env.state().velocity, 0.0);
      }
    }
  }
  EXPECT_GE(hits, 2);
}

}  // namespace
}  // namespace tars::env
