// Gymnasium's LunarLander heuristic: the port reproduces the recorded controller decisions, and
// over seeds 0-999 it scores what it scores in Gymnasium (a statistical check of the physics,
// since Box2D 2.4 here and 2.3.10 there cannot agree step by step for whole episodes).
#include "tars/env/box2d/lunar_lander_heuristic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <variant>
#include <vector>

#include "tars/env/box2d/lunar_lander.h"
#include "test_reference.h"

namespace tars::env {
namespace {

std::vector<float> to_float(const std::vector<double>& values) {
  return {values.begin(), values.end()};
}

// In the `*-heuristic` trajectories each action is heuristic(previous observation).
TEST(LunarLanderHeuristicTest, ReproducesGymnasiumsRecordedDecisions) {
  int files = 0;
  for (const auto& path : test::reference_files("LunarLander-v3")) {
    auto loaded = test::load_reference(path);
    ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
    const test::ReferenceEpisode& episode = *loaded;
    if (episode.policy != "heuristic") continue;
    ++files;
    std::vector<float> obs = to_float(episode.reset_obs);
    for (std::size_t t = 0; t < episode.steps.size(); ++t) {
      const test::ReferenceAction& expected = episode.steps[t].action;
      if (const auto* discrete = std::get_if<std::int64_t>(&expected)) {
        ASSERT_EQ(lunar_lander_heuristic_discrete(obs), *discrete)
            << path.filename() << " step " << t;
      } else {
        // The reference holds Gymnasium's float64 action; both sides round it to float32.
        const auto& box = std::get<std::vector<float>>(expected);
        const std::array<float, 2> action = lunar_lander_heuristic_continuous(obs);
        ASSERT_EQ(action[0], box.at(0)) << path.filename() << " step " << t;
        ASSERT_EQ(action[1], box.at(1)) << path.filename() << " step " << t;
      }
      obs = to_float(episode.steps[t].obs);
    }
  }
  EXPECT_GE(files, 6);
}

TEST(LunarLanderHeuristicTest, FiresTheMainEngineWhenFallingFastAfterTouchdown) {
  const std::vector<float> falling = {0.0f, 0.0f, 0.0f, -0.5f, 0.0f, 0.0f, 1.0f, 0.0f};
  EXPECT_EQ(lunar_lander_heuristic_discrete(falling), 2);
  const std::array<float, 2> action = lunar_lander_heuristic_continuous(falling);
  EXPECT_FLOAT_EQ(action[0], 1.0f);  // clip(0.25 * 20 - 1)
  EXPECT_EQ(action[1], 0.0f);        // no turning once a leg touches
  const std::vector<float> resting = {0.0f, 0.0f, 0.0f, 0.0f, 0.3f, 0.0f, 1.0f, 1.0f};
  EXPECT_EQ(lunar_lander_heuristic_discrete(resting), 0);
}

TEST(LunarLanderHeuristicTest, TurnsTowardsThePad) {
  // Right of the pad the target angle is positive (lean left, so that the main engine pushes
  // towards the pad): the left orientation engine (1) turns the lander counter-clockwise.
  const std::vector<float> right_of_pad = {0.5f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
  EXPECT_EQ(lunar_lander_heuristic_discrete(right_of_pad), 1);
  const std::vector<float> left_of_pad = {-0.5f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
  EXPECT_EQ(lunar_lander_heuristic_discrete(left_of_pad), 3);
  EXPECT_LT(lunar_lander_heuristic_continuous(right_of_pad)[1], -0.5f);
  EXPECT_GT(lunar_lander_heuristic_continuous(left_of_pad)[1], 0.5f);
}

struct Returns {
  double mean = 0.0;
  double std = 0.0;
  double solved = 0.0;  // fraction of episodes with a return >= 200
};

Returns heuristic_returns(bool continuous, int episodes) {
  auto created = LunarLander::create({.continuous = continuous});
  EXPECT_TRUE(created.ok()) << created.status().to_string();
  if (!created.ok()) return {};
  LunarLander& env = **created;
  double sum = 0.0;
  double sum_squares = 0.0;
  int solved = 0;
  for (int seed = 0; seed < episodes; ++seed) {
    EXPECT_TRUE(env.reset(static_cast<std::uint64_t>(seed)).ok());
    double episode_return = 0.0;
    while (!env.needs_reset()) {
      auto result = continuous ? env.step(std::span<const float>(
                                     lunar_lander_heuristic_continuous(env.observation())))
                               : env.step(lunar_lander_heuristic_discrete(env.observation()));
      EXPECT_TRUE(result.ok()) << result.status().to_string();
      if (!result.ok()) break;
      episode_return += result->reward;
    }
    sum += episode_return;
    sum_squares += episode_return * episode_return;
    if (episode_return >= 200.0) ++solved;
  }
  Returns returns;
  returns.mean = sum / episodes;
  returns.std = std::sqrt(std::max(0.0, sum_squares / episodes - returns.mean * returns.mean));
  returns.solved = static_cast<double>(solved) / episodes;
  std::printf("LunarLander-v3 %s heuristic, seeds 0-%d: mean %.1f, std %.1f, %.1f%% >= 200\n",
              continuous ? "continuous" : "discrete", episodes - 1, returns.mean, returns.std,
              100 * returns.solved);
  return returns;
}

// Gymnasium 1.0.0 with pybox2d 2.3.10: mean 243.4, std 91.0, 90.6% >= 200.
TEST(LunarLanderHeuristicStatisticsTest, DiscreteScoresLikeGymnasium) {
  const Returns returns = heuristic_returns(false, 1000);
  EXPECT_NEAR(returns.mean, 243.4, 20.0);
  EXPECT_GT(returns.solved, 0.8);
}

// Gymnasium 1.0.0 with pybox2d 2.3.10: mean 282.8, std 24.8, 99.8% >= 200.
TEST(LunarLanderHeuristicStatisticsTest, ContinuousScoresLikeGymnasium) {
  const Returns returns = heuristic_returns(true, 1000);
  EXPECT_NEAR(returns.mean, 282.8, 10.0);
  EXPECT_GT(returns.solved, 0.97);
}

}  // namespace
}  // namespace tars::env
