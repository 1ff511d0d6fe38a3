#include <gtest/gtest.h>

#include <vector>

#include "marl/test_games.h"
#include "tars/core/rng.h"
#include "tars/marl/nash.h"

namespace tars::marl {
namespace {

// Flat payoffs of a 2 x 2 x 2 game from u(p, a0, a1, a2).
template <typename Payoff>
NormalFormGame three_player_game(Payoff payoff) {
  std::vector<std::vector<double>> payoffs(3);
  for (std::size_t p = 0; p < 3; ++p) {
    for (std::size_t j = 0; j < 8; ++j)
      payoffs[p].push_back(payoff(p, j >> 2, (j >> 1) & 1, j & 1));
  }
  auto game = NormalFormGame::create({2, 2, 2}, payoffs);
  EXPECT_TRUE(game.ok());
  return std::move(game).value();
}

// Jordan (1993): player 0 wants to match player 1, player 1 to match player 2, player 2 to
// mismatch player 0. No pure equilibrium; the unique equilibrium is uniform.
NormalFormGame jordan_game() {
  return three_player_game([](std::size_t p, std::size_t a0, std::size_t a1, std::size_t a2) {
    if (p == 0) return a0 == a1 ? 1.0 : 0.0;
    if (p == 1) return a1 == a2 ? 1.0 : 0.0;
    return a2 != a0 ? 1.0 : 0.0;
  });
}

TEST(FictitiousPlayTest, ConvergesToTheKnownEquilibriumOfAThreePlayerGame) {
  const NormalFormGame game = jordan_game();
  // Simultaneous fictitious play spirals in at a rate of about 1 / t here.
  auto result = fictitious_play(game, {.max_iterations = 100'000,
                                       .tolerance = 1e-4,
                                       .initial = {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}},
                                       .refine = false});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->method, "fictitious_play");
  EXPECT_TRUE(result->converged);
  EXPECT_GT(result->iterations, 100u);
  EXPECT_LT(result->iterations, 100'000u);
  ASSERT_EQ(result->equilibria.size(), 1u);
  const Equilibrium& equilibrium = result->equilibria[0];
  EXPECT_LE(equilibrium.exploitability, 1e-4);
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_NEAR(equilibrium.strategies[p][0], 0.5, 1e-3) << p;
    EXPECT_NEAR(equilibrium.payoffs[p], 0.5, 1e-3) << p;
  }
  // The reported exploitability is the profile's.
  auto evaluation = evaluate_profile(game, equilibrium.strategies);
  ASSERT_TRUE(evaluation.ok());
  EXPECT_NEAR(evaluation->exploitability, result->exploitability, 1e-12);
  // Started at the equilibrium (the default start: uniform), it stops at once.
  auto at_equilibrium = fictitious_play(game, {.refine = false});
  ASSERT_TRUE(at_equilibrium.ok());
  EXPECT_TRUE(at_equilibrium->converged);
  EXPECT_EQ(at_equilibrium->iterations, 0u);
}

// Shapley (1964): a 3 x 3 game whose only equilibrium is uniform and on which fictitious play
// cycles for ever with growing periods.
TEST(FictitiousPlayTest, ReportsNonConvergenceOnShapleysGame) {
  const NormalFormGame game =
      testing::bimatrix({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
  auto result = fictitious_play(game, {.max_iterations = 5'000,
                                       .tolerance = 1e-3,
                                       .initial = {{0.5, 0.3, 0.2}, {0.2, 0.3, 0.5}},
                                       .refine = false});
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->converged);
  EXPECT_EQ(result->iterations, 5'000u);
  EXPECT_GT(result->exploitability, 0.1);
  auto evaluation = evaluate_profile(game, result->equilibria[0].strategies);
  ASSERT_TRUE(evaluation.ok());
  EXPECT_NEAR(evaluation->exploitability, result->exploitability, 1e-12);
}

// With the support refinement both games are solved exactly: the fully mixed start already has
// the right support, and Newton's method lands on the uniform equilibrium.
TEST(FictitiousPlayTest, NewtonRefinementMakesMixedEquilibriaExact) {
  const std::vector<NormalFormGame> games = {
      testing::bimatrix({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}}),
      jordan_game()};
  for (const NormalFormGame& game : games) {
    const std::size_t actions = game.actions(0);
    Profile start(game.players(), std::vector<double>(actions, 0.1 / (actions - 1)));
    for (std::vector<double>& strategy : start) strategy[0] = 0.9;
    auto result = fictitious_play(game, {.initial = start});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->method, "fictitious_play+newton");
    EXPECT_TRUE(result->converged);
    EXPECT_LE(result->exploitability, 1e-12);
    for (const std::vector<double>& strategy : result->equilibria[0].strategies) {
      for (double probability : strategy) EXPECT_NEAR(probability, 1.0 / actions, 1e-12);
    }
  }
}

// Random 4-player games with 3 actions each, as the orchestrator poses them: whatever comes out
// reports its true exploitability, and a converged result meets the stopping rule.
TEST(FictitiousPlayTest, RandomFourPlayerGamesReportHonestly) {
  core::Generator generator(99);
  int exact = 0;
  for (int game_index = 0; game_index < 50; ++game_index) {
    std::vector<std::vector<double>> payoffs(4, std::vector<double>(81));
    for (auto& tensor : payoffs) {
      for (double& payoff : tensor) payoff = generator.standard_normal();
    }
    auto game = NormalFormGame::create({3, 3, 3, 3}, payoffs);
    ASSERT_TRUE(game.ok());
    auto result = fictitious_play(*game, {.max_iterations = 2'000});
    ASSERT_TRUE(result.ok());
    auto evaluation = evaluate_profile(*game, result->equilibria[0].strategies);
    ASSERT_TRUE(evaluation.ok()) << evaluation.status().message();
    EXPECT_NEAR(evaluation->exploitability, result->exploitability, 1e-12);
    if (result->converged) {
      EXPECT_LE(result->exploitability, 1e-4 * game->payoff_range()) << "game " << game_index;
    }
    if (result->exploitability <= 1e-9) ++exact;
  }
  EXPECT_GT(exact, 25);
}

TEST(FictitiousPlayTest, StopsAtAPureEquilibriumOfTheBestResponses) {
  const NormalFormGame game = testing::bimatrix(testing::kPrisonerRow, testing::kPrisonerColumn);
  for (double damping : {0.0, 0.3}) {
    auto result = fictitious_play(game, {.damping = damping});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->method, damping > 0 ? "damped_best_response" : "fictitious_play");
    EXPECT_TRUE(result->converged);
    EXPECT_EQ(result->iterations, 0u);
    EXPECT_EQ(result->equilibria[0].strategies, (Profile{{0, 1}, {0, 1}}));
    EXPECT_EQ(result->exploitability, 0.0);
  }
}

TEST(FictitiousPlayTest, RejectsBadOptions) {
  const NormalFormGame game = jordan_game();
  EXPECT_EQ(fictitious_play(game, {.damping = 1.5}).status().message(),
            "damping must be in [0, 1], got 1.5");
  EXPECT_EQ(fictitious_play(game, {.initial = {{1, 0}, {1, 0}}}).status().message(),
            "initial profile: the profile has 2 strategies for 3 players");
}

}  // namespace
}  // namespace tars::marl
