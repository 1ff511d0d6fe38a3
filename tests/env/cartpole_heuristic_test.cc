// The CartPole-v1 controller balances from Gymnasium's initial states for the whole episode. The
// evaluation engine's tests rely on these numbers (tests/eval/builtin_policies_test.cc).
#include "tars/env/classic/cartpole_heuristic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "env_test_util.h"
#include "tars/env/classic/cartpole.h"

namespace tars::env {
namespace {

using classic::cartpole_heuristic;

struct Episode {
  int steps = 0;
  bool truncated = false;
  double max_abs_x = 0.0;
};

Episode run_episode(Env& env, std::uint64_t seed, const ResetOptions& options = {}) {
  test::reset_obs(env, seed, options);
  Episode episode;
  while (!env.needs_reset()) {
    auto result = env.step(cartpole_heuristic(env.observation()));
    EXPECT_TRUE(result.ok()) << result.status().to_string();
    if (!result.ok()) break;
    ++episode.steps;
    episode.truncated = result->truncated;
    episode.max_abs_x = std::max(episode.max_abs_x, std::abs(double{env.observation()[0]}));
  }
  return episode;
}

TEST(CartPoleHeuristicTest, PushesTowardsTheFallingSide) {
  EXPECT_EQ(cartpole_heuristic(std::vector<float>{0.0f, 0.0f, 0.05f, 0.0f}), 1);
  EXPECT_EQ(cartpole_heuristic(std::vector<float>{0.0f, 0.0f, -0.05f, 0.0f}), 0);
  // Upright but rotating left fast enough to be left of vertical 0.3 s from now.
  EXPECT_EQ(cartpole_heuristic(std::vector<float>{0.0f, 0.0f, 0.01f, -0.1f}), 0);
}

TEST(CartPoleHeuristicTest, BringsADisplacedCartBackByFirstPushingAway) {
  // Right of the centre at rest: push right so that the pole leans left and leads the cart home.
  EXPECT_EQ(cartpole_heuristic(std::vector<float>{1.0f, 0.0f, 0.0f, 0.0f}), 1);
  EXPECT_EQ(cartpole_heuristic(std::vector<float>{-1.0f, 0.0f, 0.0f, 0.0f}), 0);
}

// 100 episodes on seeds 0-99, all truncated at 500 steps: a mean return of exactly 500.
TEST(CartPoleHeuristicTest, BalancesEveryEpisodeOfSeeds0To99For500Steps) {
  auto env = test::make_env("CartPole-v1");
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    const Episode episode = run_episode(*env, seed);
    EXPECT_EQ(episode.steps, 500) << "seed " << seed;
    EXPECT_TRUE(episode.truncated) << "seed " << seed;
    EXPECT_LT(episode.max_abs_x, classic::CartPole::kXThreshold / 2) << "seed " << seed;
  }
}

// Initial states three times wider than Gymnasium's (±0.15 instead of ±0.05) still balance.
TEST(CartPoleHeuristicTest, BalancesFromWiderInitialStates) {
  auto env = test::make_env("CartPole-v1");
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    EXPECT_EQ(run_episode(*env, seed, {{"low", -0.15}, {"high", 0.15}}).steps, 500)
        << "seed " << seed;
  }
}

}  // namespace
}  // namespace tars::env
