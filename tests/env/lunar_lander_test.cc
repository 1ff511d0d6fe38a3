// LunarLander-v3: parity with Gymnasium's reference trajectories (Box2D 2.4 here, 2.3.10 there, so
// within a tolerance and only for the first steps), seeding and RNG draw order, wind, termination
// and input validation.
#include "tars/env/box2d/lunar_lander.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "tars/core/rng.h"
#include "tars/env/registry.h"
#include "test_reference.h"

namespace tars::env {
namespace {

using ::testing::HasSubstr;

// Box2D 2.4 against Gymnasium's 2.3.10: the joint solver differs slightly, so the reset and the
// first steps agree to about 2e-4, then the trajectories drift apart.
constexpr double kObsTolerance = 1e-3;
// The first reward includes the reset's shaping, hence a bit more than the observation tolerance.
constexpr double kRewardTolerance = 1e-2;
constexpr std::size_t kParitySteps = 10;

std::unique_ptr<Env> make_env(const Kwargs& kwargs = {}) {
  auto made = make(LunarLander::kId, kwargs);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return made.ok() ? std::move(*made) : nullptr;
}

std::vector<float> reset_obs(Env& env, std::uint64_t seed) {
  auto obs = env.reset(seed);
  EXPECT_TRUE(obs.ok()) << obs.status().to_string();
  return obs.ok() ? std::vector<float>(obs->begin(), obs->end()) : std::vector<float>{};
}

std::vector<float> current_obs(const Env& env) {
  return {env.observation().begin(), env.observation().end()};
}

double max_abs_diff(std::span<const float> actual, const std::vector<double>& expected) {
  EXPECT_EQ(actual.size(), expected.size());
  double diff = 0.0;
  for (std::size_t i = 0; i < std::min(actual.size(), expected.size()); ++i) {
    diff = std::max(diff, std::abs(static_cast<double>(actual[i]) - expected[i]));
  }
  return diff;
}

// Runs `action` until the episode ends; returns the last step's result.
StepResult run_until_done(Env& env, std::int64_t action) {
  StepResult result;
  while (!env.needs_reset()) {
    auto stepped = env.step(action);
    EXPECT_TRUE(stepped.ok()) << stepped.status().to_string();
    if (!stepped.ok()) break;
    result = *stepped;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Spec.

TEST(LunarLanderSpecTest, DiscreteSpaces) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  const EnvSpec& spec = env->spec();
  EXPECT_EQ(spec.id, "LunarLander-v3");
  EXPECT_EQ(spec.max_episode_steps, 1000);
  EXPECT_EQ(spec.reward_threshold, 200.0);
  EXPECT_EQ(spec.action_space.describe(), "Discrete(4)");
  const float two_pi = static_cast<float>(2 * std::numbers::pi);
  EXPECT_EQ(spec.observation_space.low(),
            (std::vector<double>{-2.5, -2.5, -10, -10, -two_pi, -10, -0.0, -0.0}));
  EXPECT_EQ(spec.observation_space.high(),
            (std::vector<double>{2.5, 2.5, 10, 10, two_pi, 10, 1, 1}));
}

TEST(LunarLanderSpecTest, ContinuousSpacesAndAlias) {
  auto env = make_env({{"continuous", true}});
  ASSERT_NE(env, nullptr);
  EXPECT_EQ(env->spec().action_space.describe(), "Box(-1.0, 1.0, (2,), float32)");
  EXPECT_EQ(env->spec().observation_space.flat_size(), 8u);

  auto alias = make(LunarLander::kContinuousId);
  ASSERT_TRUE(alias.ok()) << alias.status().to_string();
  EXPECT_EQ((*alias)->spec().id, "LunarLanderContinuous-v3");
  EXPECT_EQ((*alias)->spec().action_space.describe(), "Box(-1.0, 1.0, (2,), float32)");
  EXPECT_EQ((*alias)->spec().max_episode_steps, 1000);
}

// ---------------------------------------------------------------------------------------------
// Parity with the Gymnasium 1.0.0 reference trajectories.

TEST(LunarLanderReferenceFilesTest, DiscreteAndContinuousTrajectoriesExist) {
  const auto files = test::reference_files("LunarLander-v3");
  EXPECT_GE(files.size(), 16u) << test::reference_dir();
  const auto continuous = std::count_if(files.begin(), files.end(), [](const auto& path) {
    return path.filename().string().find("continuous") != std::string::npos;
  });
  EXPECT_GE(continuous, 8);
}

class LunarLanderParityTest : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(LunarLanderParityTest, FirstStepsMatchGymnasium) {
  auto loaded = test::load_reference(GetParam());
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const test::ReferenceEpisode& episode = *loaded;
  ASSERT_EQ(episode.env_id, "LunarLander-v3");
  ASSERT_GE(episode.steps.size(), kParitySteps);

  auto made = make(episode.env_id, episode.kwargs);
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  Env& env = **made;
  auto obs = env.reset(episode.seed);
  ASSERT_TRUE(obs.ok()) << obs.status().to_string();
  EXPECT_LE(max_abs_diff(*obs, episode.reset_obs), kObsTolerance) << "reset";

  for (std::size_t t = 0; t < kParitySteps; ++t) {
    const test::ReferenceStep& expected = episode.steps[t];
    auto result = test::step_with(env, expected.action);
    ASSERT_TRUE(result.ok()) << "step " << t << ": " << result.status().to_string();
    EXPECT_LE(max_abs_diff(env.observation(), expected.obs), kObsTolerance) << "step " << t;
    EXPECT_NEAR(result->reward, expected.reward, kRewardTolerance) << "step " << t;
    EXPECT_EQ(result->terminated, expected.terminated) << "step " << t;
    EXPECT_EQ(result->truncated, expected.truncated) << "step " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Gymnasium, LunarLanderParityTest,
                         ::testing::ValuesIn(test::reference_files("LunarLander-v3")),
                         [](const ::testing::TestParamInfo<std::filesystem::path>& info) {
                           return test::test_name(info.param);
                         });

// ---------------------------------------------------------------------------------------------
// Seeding and the order of RNG draws.

TEST(LunarLanderSeedingTest, TerrainIsTheFirstTwelveDrawsSmoothed) {
  auto created = LunarLander::create({});
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  LunarLander& env = **created;
  for (std::uint64_t seed : {0u, 7u, 123u}) {
    ASSERT_TRUE(env.reset(seed).ok());
    core::Generator rng(seed);
    const double h = 400.0 / 30.0;
    std::vector<double> height(12);
    for (double& value : height) value = rng.uniform(0.0, h / 2);
    for (int i = 3; i <= 7; ++i) height[i] = h / 4;
    for (int i = 0; i < 11; ++i) {
      const double previous = i == 0 ? height[11] : height[i - 1];  // Python's height[-1]
      EXPECT_EQ(env.terrain_y()[i], 0.33 * (previous + height[i] + height[i + 1]))
          << "seed " << seed << " point " << i;
    }
  }
}

TEST(LunarLanderSeedingTest, SameSeedGivesIdenticalEpisodes) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  std::vector<std::vector<float>> first;
  reset_obs(*env, 42);
  for (int t = 0; t < 200 && !env->needs_reset(); ++t) {
    ASSERT_TRUE(env->step(t % 4).ok());
    first.push_back(current_obs(*env));
  }
  // Played episodes in between must leave nothing behind (Gymnasium #728: a new world per reset).
  reset_obs(*env, 3);
  run_until_done(*env, 2);
  reset_obs(*env, 42);
  for (std::size_t t = 0; t < first.size(); ++t) {
    ASSERT_TRUE(env->step(static_cast<std::int64_t>(t % 4)).ok());
    ASSERT_EQ(current_obs(*env), first[t]) << "step " << t;
  }
}

TEST(LunarLanderSeedingTest, DifferentSeedsGiveDifferentStarts) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  EXPECT_NE(reset_obs(*env, 0), reset_obs(*env, 1));
}

TEST(LunarLanderSeedingTest, UnseededResetContinuesTheGenerator) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  const std::vector<float> seeded = reset_obs(*env, 5);
  auto unseeded = env->reset();
  ASSERT_TRUE(unseeded.ok());
  EXPECT_NE(std::vector<float>(unseeded->begin(), unseeded->end()), seeded);
}

TEST(LunarLanderSeedingTest, ResetObservationIsInsideTheSpace) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const std::vector<float> obs = reset_obs(*env, seed);
    const Space& space = env->spec().observation_space;
    for (std::size_t i = 0; i < obs.size(); ++i) {
      EXPECT_GE(obs[i], space.low()[i]) << "seed " << seed << " obs " << i;
      EXPECT_LE(obs[i], space.high()[i]) << "seed " << seed << " obs " << i;
    }
    EXPECT_EQ(obs[6], 0.0f);
    EXPECT_EQ(obs[7], 0.0f);
  }
}

// ---------------------------------------------------------------------------------------------
// Wind.

std::vector<std::vector<float>> play(Env& env, std::uint64_t seed, int steps) {
  std::vector<std::vector<float>> trajectory{reset_obs(env, seed)};
  for (int t = 0; t < steps && !env.needs_reset(); ++t) {
    EXPECT_TRUE(env.step(std::int64_t{t % 3 == 0 ? 2 : 0}).ok());
    trajectory.push_back(current_obs(env));
  }
  return trajectory;
}

TEST(LunarLanderWindTest, WindIsDeterministicForASeedAndChangesTheFlight) {
  auto windy = make_env({{"enable_wind", true}});
  auto calm = make_env();
  ASSERT_NE(windy, nullptr);
  ASSERT_NE(calm, nullptr);
  const auto first = play(*windy, 11, 60);
  const auto second = play(*windy, 11, 60);
  EXPECT_EQ(first, second);
  const auto without = play(*calm, 11, 60);
  EXPECT_NE(first.back(), without.back());
  EXPECT_NE(first.front(), without.front()) << "the reset's step(0) already feels the wind";
}

TEST(LunarLanderWindTest, WindOffsetsAreDrawnFromTheEnvGenerator) {
  // With zero powers the wind does nothing physically; the trajectories can only differ because
  // the two wind offsets shift the engine-dispersion draws that follow them.
  auto windless_wind =
      make_env({{"enable_wind", true}, {"wind_power", 0.0}, {"turbulence_power", 0.0}});
  auto calm = make_env();
  ASSERT_NE(windless_wind, nullptr);
  ASSERT_NE(calm, nullptr);
  EXPECT_EQ(reset_obs(*windless_wind, 4), reset_obs(*calm, 4)) << "no engine fired yet";
  ASSERT_TRUE(windless_wind->step(2).ok());
  ASSERT_TRUE(calm->step(2).ok());
  EXPECT_NE(current_obs(*windless_wind), current_obs(*calm));
}

TEST(LunarLanderWindTest, DifferentSeedsGiveDifferentWind) {
  auto windy = make_env({{"enable_wind", true}});
  ASSERT_NE(windy, nullptr);
  EXPECT_NE(play(*windy, 1, 30).back(), play(*windy, 2, 30).back());
}

// ---------------------------------------------------------------------------------------------
// Dynamics, rewards and termination.

TEST(LunarLanderDynamicsTest, MainEnginePushesUp) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  const float vy_noop = [&] {
    reset_obs(*env, 9);
    EXPECT_TRUE(env->step(0).ok());
    return env->observation()[3];
  }();
  reset_obs(*env, 9);
  ASSERT_TRUE(env->step(2).ok());
  EXPECT_GT(env->observation()[3], vy_noop);
}

TEST(LunarLanderDynamicsTest, SideEnginesTurnOppositeWays) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  auto spin_after = [&](std::int64_t action) {
    reset_obs(*env, 9);
    for (int t = 0; t < 5; ++t) EXPECT_TRUE(env->step(action).ok());
    return env->observation()[5];
  };
  const float noop = spin_after(0);
  EXPECT_GT(spin_after(1), noop) << "left engine turns counter-clockwise";
  EXPECT_LT(spin_after(3), noop) << "right engine turns clockwise";
}

TEST(LunarLanderDynamicsTest, FreeFallCrashesWithMinusHundred) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  reset_obs(*env, 0);
  const StepResult last = run_until_done(*env, 0);
  EXPECT_TRUE(last.terminated);
  EXPECT_FALSE(last.truncated);
  EXPECT_EQ(last.reward, -100.0);
  EXPECT_LT(env->elapsed_steps(), 200);
}

TEST(LunarLanderDynamicsTest, LeavingTheViewportTerminates) {
  auto env = make_env({{"continuous", true}});
  ASSERT_NE(env, nullptr);
  reset_obs(*env, 0);
  // Full main engine and full right side engine: the lander tips over and flies off sideways.
  const float action[2] = {1.0f, 1.0f};
  StepResult last;
  while (!env->needs_reset()) {
    auto stepped = env->step(std::span<const float>(action));
    ASSERT_TRUE(stepped.ok()) << stepped.status().to_string();
    last = *stepped;
  }
  EXPECT_TRUE(last.terminated);
  EXPECT_EQ(last.reward, -100.0);
  EXPECT_GE(std::abs(env->observation()[0]), 1.0f);
}

TEST(LunarLanderDynamicsTest, ShapingRewardsTheNoopStepByTheChangeInShaping) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  auto shaping = [](std::span<const float> s) {
    return -100 * std::sqrt(double{s[0]} * s[0] + double{s[1]} * s[1]) -
           100 * std::sqrt(double{s[2]} * s[2] + double{s[3]} * s[3]) - 100 * std::abs(s[4]) +
           10 * s[6] + 10 * s[7];
  };
  const double before = shaping(reset_obs(*env, 1));
  auto noop = env->step(0);
  ASSERT_TRUE(noop.ok());
  // Gymnasium shapes with the float64 state; the float32 observation is within ~1e-5 of it.
  EXPECT_NEAR(noop->reward, shaping(env->observation()) - before, 1e-4);

  const double before_main = shaping(current_obs(*env));
  auto main = env->step(2);
  ASSERT_TRUE(main.ok());
  EXPECT_NEAR(main->reward, shaping(env->observation()) - before_main - 0.30, 1e-4);
  const double before_side = shaping(current_obs(*env));
  auto side = env->step(1);
  ASSERT_TRUE(side.ok());
  EXPECT_NEAR(side->reward, shaping(env->observation()) - before_side - 0.03, 1e-4);
}

TEST(LunarLanderDynamicsTest, ContinuousActionsAreClipped) {
  auto env = make_env({{"continuous", true}});
  ASSERT_NE(env, nullptr);
  auto after = [&](float main, float lateral) {
    reset_obs(*env, 6);
    const float action[2] = {main, lateral};
    EXPECT_TRUE(env->step(std::span<const float>(action)).ok());
    return current_obs(*env);
  };
  EXPECT_EQ(after(5.0f, -7.0f), after(1.0f, -1.0f));
  // Below the thresholds (main <= 0, |lateral| <= 0.5) the engines stay off.
  EXPECT_EQ(after(-0.5f, 0.5f), after(0.0f, 0.0f));
  EXPECT_NE(after(0.01f, 0.0f), after(0.0f, 0.0f));
}

TEST(LunarLanderDynamicsTest, TimeLimitTruncates) {
  auto made = make(LunarLander::kId, {}, 5);
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  Env& env = **made;
  reset_obs(env, 0);
  StepResult last;
  for (int t = 0; t < 5; ++t) {
    auto stepped = env.step(0);
    ASSERT_TRUE(stepped.ok());
    last = *stepped;
  }
  EXPECT_TRUE(last.truncated);
  EXPECT_FALSE(last.terminated);
}

// ---------------------------------------------------------------------------------------------
// Bad input.

TEST(LunarLanderInputTest, RejectsInvalidDiscreteActions) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  reset_obs(*env, 0);
  auto four = env->step(4);
  ASSERT_FALSE(four.ok());
  EXPECT_EQ(four.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(four.status().message(), HasSubstr("Discrete(4)"));
  EXPECT_FALSE(env->step(-1).ok());
  const float box[2] = {0.0f, 0.0f};
  EXPECT_FALSE(env->step(std::span<const float>(box)).ok());
  EXPECT_TRUE(env->step(3).ok()) << "a rejected action must not end the episode";
}

TEST(LunarLanderInputTest, RejectsInvalidContinuousActions) {
  auto env = make_env({{"continuous", true}});
  ASSERT_NE(env, nullptr);
  reset_obs(*env, 0);
  const float three[3] = {0.0f, 0.0f, 0.0f};
  auto wrong_length = env->step(std::span<const float>(three));
  ASSERT_FALSE(wrong_length.ok());
  EXPECT_THAT(wrong_length.status().message(), HasSubstr("3 numbers"));
  const float one[1] = {0.0f};
  EXPECT_FALSE(env->step(std::span<const float>(one)).ok());
  const float nan[2] = {std::numeric_limits<float>::quiet_NaN(), 0.0f};
  auto not_finite = env->step(std::span<const float>(nan));
  ASSERT_FALSE(not_finite.ok());
  EXPECT_THAT(not_finite.status().message(), HasSubstr("action[0]"));
  const float inf[2] = {0.0f, std::numeric_limits<float>::infinity()};
  EXPECT_FALSE(env->step(std::span<const float>(inf)).ok());
  EXPECT_FALSE(env->step(2).ok());
}

TEST(LunarLanderInputTest, RejectsGravityOutsideTheOpenInterval) {
  for (double gravity : {-12.0, -20.0, 0.0, 1.0, std::numeric_limits<double>::quiet_NaN()}) {
    auto made = make(LunarLander::kId, {{"gravity", gravity}});
    ASSERT_FALSE(made.ok()) << gravity;
    EXPECT_EQ(made.status().code(), core::ErrorCode::kInvalidArgument);
    EXPECT_THAT(made.status().message(), HasSubstr("gravity")) << gravity;
  }
  EXPECT_TRUE(make(LunarLander::kId, {{"gravity", -11.99}}).ok());
  EXPECT_TRUE(make(LunarLander::kId, {{"gravity", -1.62}}).ok());
}

TEST(LunarLanderInputTest, AcceptsWindPowersGymnasiumOnlyWarnsAbout) {
  EXPECT_TRUE(make(LunarLander::kId, {{"wind_power", 25.0}, {"turbulence_power", 3.0}}).ok());
  auto infinite = make(LunarLander::kId, {{"wind_power", std::numeric_limits<double>::infinity()}});
  ASSERT_FALSE(infinite.ok());
  EXPECT_THAT(infinite.status().message(), HasSubstr("wind_power"));
  auto nan =
      make(LunarLander::kId, {{"turbulence_power", std::numeric_limits<double>::quiet_NaN()}});
  ASSERT_FALSE(nan.ok());
  EXPECT_THAT(nan.status().message(), HasSubstr("turbulence_power"));
}

TEST(LunarLanderInputTest, RejectsUnknownAndMistypedKwargs) {
  auto unknown = make(LunarLander::kId, {{"continous", true}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("continous"));
  auto mistyped = make(LunarLander::kId, {{"continuous", 1.0}});
  ASSERT_FALSE(mistyped.ok());
  EXPECT_THAT(mistyped.status().message(), HasSubstr("continuous"));
  auto render = make(LunarLander::kId, {{"render_mode", std::string("human")}});
  EXPECT_FALSE(render.ok());
}

TEST(LunarLanderInputTest, RejectsResetOptions) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  auto reset = env->reset(0, {{"low", -0.1}});
  ASSERT_FALSE(reset.ok());
  EXPECT_THAT(reset.status().message(), HasSubstr("low"));
}

TEST(LunarLanderInputTest, StepBeforeResetAndAfterTheEndAreErrors) {
  auto env = make_env();
  ASSERT_NE(env, nullptr);
  auto early = env->step(0);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), core::ErrorCode::kFailedPrecondition);

  reset_obs(*env, 0);
  ASSERT_TRUE(run_until_done(*env, 0).terminated);
  auto late = env->step(0);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_THAT(late.status().message(), HasSubstr("reset"));
  EXPECT_TRUE(env->reset(1).ok());
  EXPECT_TRUE(env->step(0).ok());
}

TEST(LunarLanderInputTest, VersionTwoIsDeprecated) {
  for (const char* id : {"LunarLander-v2", "LunarLanderContinuous-v2"}) {
    auto made = make(id);
    ASSERT_FALSE(made.ok()) << id;
    EXPECT_THAT(made.status().message(), HasSubstr("deprecated")) << id;
    EXPECT_THAT(made.status().message(), HasSubstr("-v3")) << id;
  }
  auto unknown = make("LunarLander-v9");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown environment"));
}

}  // namespace
}  // namespace tars::env
