// Classic control (CartPole, Acrobot, MountainCar, MountainCarContinuous, Pendulum): step-by-step
// parity with Gymnasium's reference trajectories, the doctest goldens, specs, input validation,
// seeding and the time limit. Each environment's own physical properties are in <env>_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "env_test_util.h"
#include "tars/env/registry.h"
#include "test_reference.h"

namespace tars::env {
namespace {

using test::make_env;
using test::reset_obs;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr const char* kClassicIds[] = {"CartPole-v1", "Acrobot-v1", "MountainCar-v0",
                                       "MountainCarContinuous-v0", "Pendulum-v1"};

// Float32 precision: |diff| <= 1e-6 * max(1, |ref|) for every element.
::testing::AssertionResult obs_match(std::span<const float> actual,
                                     const std::vector<double>& expected) {
  if (actual.size() != expected.size()) {
    return ::testing::AssertionFailure()
           << "observation has " << actual.size() << " values, reference " << expected.size();
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double diff = std::abs(static_cast<double>(actual[i]) - expected[i]);
    if (!(diff <= 1e-6 * std::max(1.0, std::abs(expected[i])))) {
      return ::testing::AssertionFailure() << "obs[" << i << "] = " << actual[i] << ", reference "
                                           << expected[i] << " (diff " << diff << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

// ---------------------------------------------------------------------------------------------
// Parity with the Gymnasium 1.0.0 reference trajectories.

std::vector<std::filesystem::path> classic_reference_files() {
  std::vector<std::filesystem::path> files;
  for (const char* id : kClassicIds) {
    // "MountainCar-v0" is not a prefix of "MountainCarContinuous-v0", so the lists are disjoint.
    for (auto& file : test::reference_files(id)) files.push_back(std::move(file));
  }
  return files;
}

TEST(ClassicReferenceFilesTest, EveryEnvironmentHasTrajectories) {
  for (const char* id : kClassicIds) {
    EXPECT_GE(test::reference_files(id).size(), 5u) << id << " in " << test::reference_dir();
  }
}

class ClassicParityTest : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(ClassicParityTest, MatchesGymnasiumStepByStep) {
  auto loaded = test::load_reference(GetParam());
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const test::ReferenceEpisode& episode = *loaded;
  ASSERT_FALSE(episode.steps.empty());
  const test::ReferenceStep& last = episode.steps.back();
  ASSERT_TRUE(last.terminated || last.truncated) << "the reference episode must end";

  auto made = make(episode.env_id, episode.kwargs);
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  Env& env = **made;
  auto obs = env.reset(episode.seed);
  ASSERT_TRUE(obs.ok()) << obs.status().to_string();
  ASSERT_TRUE(obs_match(*obs, episode.reset_obs)) << "reset";

  for (std::size_t t = 0; t < episode.steps.size(); ++t) {
    const test::ReferenceStep& expected = episode.steps[t];
    auto result = test::step_with(env, expected.action);
    ASSERT_TRUE(result.ok()) << "step " << t << ": " << result.status().to_string();
    ASSERT_TRUE(obs_match(env.observation(), expected.obs)) << "step " << t;
    // Rewards are float64 in Gymnasium and computed here with the same operations in the same
    // order, so they must be equal, not merely close.
    ASSERT_EQ(result->reward, expected.reward) << "step " << t;
    ASSERT_EQ(result->terminated, expected.terminated) << "step " << t;
    ASSERT_EQ(result->truncated, expected.truncated) << "step " << t;
  }
  EXPECT_TRUE(env.needs_reset()) << "the episode must end where the reference ends";
  EXPECT_EQ(env.elapsed_steps(), static_cast<int>(episode.steps.size()));
}

INSTANTIATE_TEST_SUITE_P(Gymnasium, ClassicParityTest,
                         ::testing::ValuesIn(classic_reference_files()),
                         [](const ::testing::TestParamInfo<std::filesystem::path>& info) {
                           return test::test_name(info.param);
                         });

// ---------------------------------------------------------------------------------------------
// Doctest goldens (gymnasium-semantics.md section 0): seed 123 with reset options. NumPy prints
// them with 8 decimals, hence the 5e-9 rounding allowance on top of float32 precision.

struct Golden {
  const char* id;
  ResetOptions options;
  std::vector<double> obs;
};

class ClassicGoldenTest : public ::testing::TestWithParam<Golden> {};

TEST_P(ClassicGoldenTest, ResetWithSeed123MatchesDoctest) {
  const Golden& golden = GetParam();
  auto env = make_env(golden.id);
  ASSERT_NE(env, nullptr);
  const std::vector<float> obs = reset_obs(*env, 123, golden.options);
  ASSERT_EQ(obs.size(), golden.obs.size());
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const double tolerance = 5e-9 + 1e-7 * std::abs(golden.obs[i]);
    EXPECT_NEAR(obs[i], golden.obs[i], tolerance) << golden.id << " obs[" << i << "]";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Doctest, ClassicGoldenTest,
    ::testing::Values(
        Golden{"CartPole-v1",
               {{"low", -0.1}, {"high", 0.1}},
               {0.03647037, -0.0892358, -0.05592803, -0.06312564}},
        Golden{"Acrobot-v1",
               {{"low", -0.2}, {"high", 0.2}},
               {0.997341, 0.07287608, 0.9841162, -0.17752565, -0.11185605, -0.12625128}},
        Golden{"MountainCar-v0", {{"low", -0.7}, {"high", 0.5}}, {0.11882224, 0.0}},
        Golden{"MountainCarContinuous-v0", {{"low", -0.7}, {"high", -0.5}}, {-0.5635296, 0.0}},
        Golden{"Pendulum-v1",
               {{"x_init", std::numbers::pi / 2}, {"y_init", 0.5}},
               {0.8403459, 0.54205054, -0.44617897}}),
    [](const ::testing::TestParamInfo<Golden>& info) {
      std::string name = info.param.id;
      for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return name;
    });

// ---------------------------------------------------------------------------------------------
// Specs, as Gymnasium registers them.

TEST(ClassicSpecTest, SpacesLimitsAndThresholdsAsRegistered) {
  struct Expected {
    const char* id;
    const char* action_space;
    std::size_t obs_size;
    int max_steps;
    std::optional<double> threshold;
  };
  const Expected expected[] = {
      {"CartPole-v1", "Discrete(2)", 4, 500, 475.0},
      {"Acrobot-v1", "Discrete(3)", 6, 500, -100.0},
      {"MountainCar-v0", "Discrete(3)", 2, 200, -110.0},
      {"MountainCarContinuous-v0", "Box(-1.0, 1.0, (1,), float32)", 2, 999, 90.0},
      {"Pendulum-v1", "Box(-2.0, 2.0, (1,), float32)", 3, 200, std::nullopt},
  };
  for (const Expected& e : expected) {
    auto env = make_env(e.id);
    ASSERT_NE(env, nullptr);
    EXPECT_EQ(env->spec().id, e.id);
    EXPECT_EQ(env->spec().action_space.describe(), e.action_space) << e.id;
    EXPECT_EQ(env->spec().observation_space.flat_size(), e.obs_size) << e.id;
    EXPECT_EQ(env->spec().max_episode_steps, e.max_steps) << e.id;
    EXPECT_EQ(env->spec().reward_threshold, e.threshold) << e.id;
  }
}

TEST(ClassicSpecTest, ObservationBoundsAsGymnasium) {
  auto cartpole = make_env("CartPole-v1");
  const Space& box = cartpole->spec().observation_space;
  EXPECT_EQ(box.high()[0], static_cast<float>(4.8));
  EXPECT_EQ(box.high()[1], std::numeric_limits<float>::max());
  EXPECT_EQ(box.high()[2], static_cast<float>(0.41887902047863906));
  EXPECT_EQ(box.low()[3], -std::numeric_limits<float>::max());

  auto acrobot = make_env("Acrobot-v1");
  EXPECT_EQ(acrobot->spec().observation_space.high()[4], static_cast<float>(4 * std::numbers::pi));
  EXPECT_EQ(acrobot->spec().observation_space.low()[5], static_cast<float>(-9 * std::numbers::pi));

  auto pendulum = make_env("Pendulum-v1");
  EXPECT_EQ(pendulum->spec().observation_space.low(), (std::vector<double>{-1.0, -1.0, -8.0}));
  EXPECT_EQ(pendulum->spec().observation_space.high(), (std::vector<double>{1.0, 1.0, 8.0}));
}

// ---------------------------------------------------------------------------------------------
// Bad input: every error is a Status whose message names the problem.

TEST(ClassicInputTest, DiscreteActionOutOfRange) {
  auto env = make_env("CartPole-v1");
  reset_obs(*env, 0);
  for (std::int64_t action : {std::int64_t{2}, std::int64_t{-1}}) {
    auto result = env->step(action);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), core::ErrorCode::kInvalidArgument);
    EXPECT_THAT(result.status().message(),
                AllOf(HasSubstr("CartPole-v1"), HasSubstr(std::to_string(action)),
                      HasSubstr("Discrete(2)")));
  }
  auto acrobot = make_env("Acrobot-v1");
  reset_obs(*acrobot, 0);
  EXPECT_THAT(acrobot->step(3).status().message(), HasSubstr("Discrete(3)"));
  // A rejected action does not count as a step.
  EXPECT_EQ(acrobot->elapsed_steps(), 0);
  EXPECT_TRUE(acrobot->step(2).ok());
}

TEST(ClassicInputTest, WrongActionKind) {
  auto pendulum = make_env("Pendulum-v1");
  reset_obs(*pendulum, 0);
  auto integer = pendulum->step(1);
  ASSERT_FALSE(integer.ok());
  EXPECT_THAT(integer.status().message(),
              AllOf(HasSubstr("Pendulum-v1"), HasSubstr("array"), HasSubstr("integer")));

  auto cartpole = make_env("CartPole-v1");
  reset_obs(*cartpole, 0);
  const std::vector<float> array = {1.0f};
  auto result = cartpole->step(array);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(),
              AllOf(HasSubstr("CartPole-v1"), HasSubstr("integer"), HasSubstr("array")));
}

TEST(ClassicInputTest, WrongActionLength) {
  for (const char* id : {"Pendulum-v1", "MountainCarContinuous-v0"}) {
    auto env = make_env(id);
    reset_obs(*env, 0);
    const std::vector<float> two = {0.1f, 0.2f};
    auto result = env->step(two);
    ASSERT_FALSE(result.ok()) << id;
    EXPECT_THAT(result.status().message(), AllOf(HasSubstr("2 numbers"), HasSubstr("expects 1")));
    auto empty = env->step(std::span<const float>());
    ASSERT_FALSE(empty.ok()) << id;
    EXPECT_THAT(empty.status().message(), HasSubstr("0 numbers"));
  }
}

TEST(ClassicInputTest, NonFiniteAction) {
  auto env = make_env("MountainCarContinuous-v0");
  reset_obs(*env, 0);
  for (float bad :
       {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    const std::vector<float> action = {bad};
    auto result = env->step(action);
    ASSERT_FALSE(result.ok());
    EXPECT_THAT(result.status().message(), AllOf(HasSubstr("action[0]"), HasSubstr("finite")));
  }
  EXPECT_EQ(env->elapsed_steps(), 0);
}

TEST(ClassicInputTest, BoxActionsOutsideTheBoundsAreClippedAsGymnasium) {
  // Gymnasium clips Box actions in the dynamics instead of rejecting them; MountainCarContinuous
  // charges the unclipped action in its reward.
  auto env = make_env("MountainCarContinuous-v0");
  reset_obs(*env, 5);
  const std::vector<float> big = {3.0f};
  auto result = env->step(big);
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->reward, -0.9);

  auto clipped = make_env("MountainCarContinuous-v0");
  reset_obs(*clipped, 5);
  const std::vector<float> one = {1.0f};
  ASSERT_TRUE(clipped->step(one).ok());
  EXPECT_EQ(env->observation()[0], clipped->observation()[0]);
  EXPECT_EQ(env->observation()[1], clipped->observation()[1]);
}

TEST(ClassicInputTest, StepBeforeReset) {
  for (const char* id : kClassicIds) {
    auto env = make_env(id);
    auto result =
        env->spec().action_space.is_discrete() ? env->step(0) : env->step(std::vector<float>{0.0f});
    ASSERT_FALSE(result.ok()) << id;
    EXPECT_EQ(result.status().code(), core::ErrorCode::kFailedPrecondition);
    EXPECT_THAT(result.status().message(), AllOf(HasSubstr(id), HasSubstr("before reset")));
  }
}

TEST(ClassicInputTest, StepAfterTerminationNeedsReset) {
  auto env = make_env("CartPole-v1");
  reset_obs(*env, 0);
  bool terminated = false;
  while (!terminated) {
    auto result = env->step(1);
    ASSERT_TRUE(result.ok());
    terminated = result->terminated;
  }
  auto after = env->step(1);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_THAT(after.status().message(), AllOf(HasSubstr("episode ended"), HasSubstr("reset")));
  reset_obs(*env, 1);
  EXPECT_TRUE(env->step(0).ok());
}

TEST(ClassicInputTest, StepAfterTruncationNeedsReset) {
  auto env = make_env("Pendulum-v1");
  reset_obs(*env, 0);
  const std::vector<float> action = {0.0f};
  for (int t = 0; t < 200; ++t) ASSERT_TRUE(env->step(action).ok());
  auto after = env->step(action);
  ASSERT_FALSE(after.ok());
  EXPECT_THAT(after.status().message(), HasSubstr("episode ended"));
}

TEST(ClassicInputTest, UnknownKwarg) {
  for (const char* id : kClassicIds) {
    auto made = make(id, {{"gravity_typo", 1.0}});
    ASSERT_FALSE(made.ok()) << id;
    EXPECT_EQ(made.status().code(), core::ErrorCode::kInvalidArgument);
    EXPECT_THAT(made.status().message(),
                AllOf(HasSubstr(id), HasSubstr("unknown kwarg 'gravity_typo'")));
  }
}

TEST(ClassicInputTest, WrongKwargType) {
  auto cartpole = make("CartPole-v1", {{"sutton_barto_reward", 1.0}});
  ASSERT_FALSE(cartpole.ok());
  EXPECT_THAT(cartpole.status().message(),
              AllOf(HasSubstr("'sutton_barto_reward'"), HasSubstr("true or false")));

  auto pendulum = make("Pendulum-v1", {{"g", std::string("ten")}});
  ASSERT_FALSE(pendulum.ok());
  EXPECT_THAT(pendulum.status().message(), AllOf(HasSubstr("'g'"), HasSubstr("number")));

  for (const char* id : {"MountainCar-v0", "MountainCarContinuous-v0"}) {
    auto made = make(id, {{"goal_velocity", true}});
    ASSERT_FALSE(made.ok()) << id;
    EXPECT_THAT(made.status().message(), AllOf(HasSubstr("'goal_velocity'"), HasSubstr("number")));
  }
}

TEST(ClassicInputTest, ResetLowAboveHigh) {
  for (const char* id :
       {"CartPole-v1", "Acrobot-v1", "MountainCar-v0", "MountainCarContinuous-v0"}) {
    auto env = make_env(id);
    auto obs = env->reset(0, {{"low", 0.2}, {"high", 0.1}});
    ASSERT_FALSE(obs.ok()) << id;
    EXPECT_EQ(obs.status().code(), core::ErrorCode::kInvalidArgument);
    EXPECT_THAT(obs.status().message(),
                AllOf(HasSubstr(id), HasSubstr("low (0.2)"), HasSubstr("high (0.1)")));
    EXPECT_TRUE(env->needs_reset());
  }
  // One bound given: the other keeps its default (CartPole's high is 0.05).
  auto env = make_env("CartPole-v1");
  auto obs = env->reset(0, {{"low", 0.06}});
  ASSERT_FALSE(obs.ok());
  EXPECT_THAT(obs.status().message(), AllOf(HasSubstr("low (0.06)"), HasSubstr("high (0.05)")));
}

TEST(ClassicInputTest, UnknownOrNonFiniteResetOption) {
  auto cartpole = make_env("CartPole-v1");
  auto typo = cartpole->reset(0, {{"lo", -0.1}});
  ASSERT_FALSE(typo.ok());
  EXPECT_THAT(typo.status().message(),
              AllOf(HasSubstr("unknown reset option 'lo'"), HasSubstr("low, high")));

  auto pendulum = make_env("Pendulum-v1");
  auto wrong = pendulum->reset(0, {{"low", -0.1}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.status().message(),
              AllOf(HasSubstr("unknown reset option 'low'"), HasSubstr("x_init, y_init")));

  auto nan = pendulum->reset(0, {{"y_init", std::numeric_limits<double>::quiet_NaN()}});
  ASSERT_FALSE(nan.ok());
  EXPECT_THAT(nan.status().message(), AllOf(HasSubstr("'y_init'"), HasSubstr("finite")));

  auto mountain_car = make_env("MountainCar-v0");
  auto inf = mountain_car->reset(0, {{"high", std::numeric_limits<double>::infinity()}});
  ASSERT_FALSE(inf.ok());
  EXPECT_THAT(inf.status().message(), AllOf(HasSubstr("'high'"), HasSubstr("finite")));
}

// ---------------------------------------------------------------------------------------------
// Seeding and time limit.

TEST(ClassicSeedingTest, SameSeedSameEpisodeAndUnseededResetContinuesTheStream) {
  for (const char* id : kClassicIds) {
    auto a = make_env(id);
    auto b = make_env(id);
    const std::vector<float> first = reset_obs(*a, 42);
    EXPECT_EQ(first, reset_obs(*b, 42)) << id;
    auto second = a->reset();
    ASSERT_TRUE(second.ok());
    EXPECT_NE(first, std::vector<float>(second->begin(), second->end())) << id;
    EXPECT_EQ(first, reset_obs(*a, 42)) << id;
  }
}

TEST(ClassicTimeLimitTest, MaxEpisodeStepsOverride) {
  auto made = make("Pendulum-v1", {}, 10);
  ASSERT_TRUE(made.ok());
  Env& env = **made;
  reset_obs(env, 0);
  const std::vector<float> action = {0.5f};
  for (int t = 1; t <= 10; ++t) {
    auto result = env.step(action);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->truncated, t == 10);
  }
}

}  // namespace
}  // namespace tars::env
