#include "tars/marl/nash.h"

#include <gtest/gtest.h>

#include <vector>

#include "marl/test_games.h"
#include "tars/core/rng.h"

namespace tars::marl {
namespace {

using testing::bimatrix;
using testing::contains_profile;

TEST(NashTest, PureEquilibriaOfTwoPlayerGames) {
  const NashResult battle = pure_equilibria(bimatrix(testing::kBattleRow, testing::kBattleColumn));
  EXPECT_EQ(battle.method, "pure");
  EXPECT_EQ(battle.iterations, 4u);
  ASSERT_EQ(battle.equilibria.size(), 2u);
  EXPECT_EQ(battle.equilibria[0].strategies, (Profile{{1, 0}, {1, 0}}));
  EXPECT_EQ(battle.equilibria[0].payoffs, (std::vector<double>{3, 2}));
  EXPECT_EQ(battle.equilibria[1].strategies, (Profile{{0, 1}, {0, 1}}));
  EXPECT_TRUE(pure_equilibria(bimatrix(testing::kMatchingPennies, testing::kMatchingPenniesColumn))
                  .equilibria.empty());
}

TEST(NashTest, PureEquilibriumCheck) {
  const NormalFormGame game = bimatrix(testing::kPrisonerRow, testing::kPrisonerColumn);
  const std::vector<std::size_t> defect = {1, 1}, cooperate = {0, 0}, outside = {0, 2};
  EXPECT_TRUE(*is_pure_equilibrium(game, defect));
  EXPECT_FALSE(*is_pure_equilibrium(game, cooperate));
  // Cooperating costs each player 1: within a tolerance of 1 (relative to max |payoff| = 3) it
  // passes.
  EXPECT_TRUE(*is_pure_equilibrium(game, cooperate, 1.0 / 3.0));
  EXPECT_EQ(is_pure_equilibrium(game, outside).status().message(),
            "player 1's action 2 is not below 2");
}

// Four players, two actions each: player p earns 1 when it plays the same action as player
// (p + 1) mod 4, so "everyone 0" and "everyone 1" are the pure equilibria.
TEST(NashTest, SolveUsesPureEquilibriaForMorePlayersWhenThereAreSome) {
  std::vector<std::vector<double>> payoffs(4, std::vector<double>(16));
  for (std::size_t j = 0; j < 16; ++j) {
    for (std::size_t p = 0; p < 4; ++p) {
      const std::size_t own = (j >> (3 - p)) & 1;
      const std::size_t next = (j >> (3 - (p + 1) % 4)) & 1;
      payoffs[p][j] = own == next ? 1.0 : 0.0;
    }
  }
  auto game = NormalFormGame::create({2, 2, 2, 2}, payoffs);
  ASSERT_TRUE(game.ok());
  auto result = solve_nash(*game);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->method, "pure");
  ASSERT_EQ(result->equilibria.size(), 2u);
  std::vector<Profile> found = {result->equilibria[0].strategies, result->equilibria[1].strategies};
  EXPECT_TRUE(contains_profile(found, {{1, 0}, {1, 0}, {1, 0}, {1, 0}}));
  EXPECT_TRUE(contains_profile(found, {{0, 1}, {0, 1}, {0, 1}, {0, 1}}));
}

TEST(NashTest, SolveDispatchesOnTheMethod) {
  const NormalFormGame game = bimatrix(testing::kBattleRow, testing::kBattleColumn);
  EXPECT_EQ(solve_nash(game)->method, "support_enumeration");
  EXPECT_EQ(solve_nash(game)->equilibria.size(), 3u);
  EXPECT_EQ(solve_nash(game, {.method = NashMethod::kLemkeHowson})->method, "lemke_howson");
  EXPECT_EQ(solve_nash(game, {.method = NashMethod::kPure})->equilibria.size(), 2u);
  EXPECT_EQ(solve_nash(game, {.method = NashMethod::kFictitiousPlay})->method,
            "fictitious_play+newton");
}

TEST(NashTest, MaxEquilibriaTruncates) {
  const NormalFormGame game = bimatrix({{0, 0, 0}, {0, 0, 0}}, {{0, 0, 0}, {0, 0, 0}});
  const NashResult pure = pure_equilibria(game, {.max_equilibria = 4});
  EXPECT_EQ(pure.equilibria.size(), 4u);
  EXPECT_TRUE(pure.truncated);
  auto enumerated = support_enumeration(game, {.max_equilibria = 4});
  ASSERT_TRUE(enumerated.ok());
  EXPECT_EQ(enumerated->equilibria.size(), 4u);
  EXPECT_TRUE(enumerated->truncated);
  EXPECT_FALSE(pure_equilibria(game).truncated);
}

TEST(NashTest, MethodNamesRoundTrip) {
  for (NashMethod method : {NashMethod::kAuto, NashMethod::kPure, NashMethod::kSupportEnumeration,
                            NashMethod::kLemkeHowson, NashMethod::kFictitiousPlay}) {
    auto parsed = parse_nash_method(nash_method_name(method));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, method);
  }
  EXPECT_EQ(parse_nash_method("simplex").status().message(),
            "unknown Nash method 'simplex' (expected auto, pure, support_enumeration, "
            "lemke_howson or fictitious_play)");
}

}  // namespace
}  // namespace tars::marl
