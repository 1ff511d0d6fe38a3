#include <gtest/gtest.h>

#include <vector>

#include "marl/test_games.h"
#include "tars/core/rng.h"
#include "tars/marl/nash.h"

namespace tars::marl {
namespace {

using testing::bimatrix;
using testing::contains_profile;
using testing::is_bimatrix_equilibrium;

std::vector<Profile> profiles(const NashResult& result) {
  std::vector<Profile> out;
  for (const Equilibrium& equilibrium : result.equilibria) out.push_back(equilibrium.strategies);
  return out;
}

NashResult enumerate(const NormalFormGame& game) {
  auto result = support_enumeration(game);
  EXPECT_TRUE(result.ok()) << result.status().message();
  if (!result.ok()) return {};
  for (const Equilibrium& equilibrium : result->equilibria) {
    EXPECT_TRUE(is_bimatrix_equilibrium(game, equilibrium.strategies));
  }
  EXPECT_EQ(result->method, "support_enumeration");
  EXPECT_TRUE(result->converged);
  return std::move(result).value();
}

TEST(SupportEnumerationTest, MatchingPenniesHasOnlyTheUniformEquilibrium) {
  const NashResult result =
      enumerate(bimatrix(testing::kMatchingPennies, testing::kMatchingPenniesColumn));
  ASSERT_EQ(result.equilibria.size(), 1u);
  EXPECT_TRUE(contains_profile(profiles(result), {{0.5, 0.5}, {0.5, 0.5}}));
  EXPECT_NEAR(result.equilibria[0].payoffs[0], 0.0, 1e-15);
}

TEST(SupportEnumerationTest, RockPaperScissorsHasOnlyTheUniformEquilibrium) {
  const NashResult result =
      enumerate(bimatrix(testing::kRockPaperScissors, testing::kRockPaperScissorsColumn));
  ASSERT_EQ(result.equilibria.size(), 1u);
  const double third = 1.0 / 3.0;
  EXPECT_TRUE(contains_profile(profiles(result), {{third, third, third}, {third, third, third}}));
}

TEST(SupportEnumerationTest, BattleOfTheSexesHasThreeEquilibria) {
  const NashResult result = enumerate(bimatrix(testing::kBattleRow, testing::kBattleColumn));
  ASSERT_EQ(result.equilibria.size(), 3u);
  const std::vector<Profile> found = profiles(result);
  EXPECT_TRUE(contains_profile(found, {{1, 0}, {1, 0}}));
  EXPECT_TRUE(contains_profile(found, {{0, 1}, {0, 1}}));
  EXPECT_TRUE(contains_profile(found, {{0.6, 0.4}, {0.4, 0.6}}));
  for (const Equilibrium& equilibrium : result.equilibria) {
    if (equilibrium.strategies[0][0] == 1.0) {
      EXPECT_EQ(equilibrium.payoffs, (std::vector<double>{3, 2}));
    }
  }
}

TEST(SupportEnumerationTest, PrisonersDilemmaHasOnlyMutualDefection) {
  const NashResult result = enumerate(bimatrix(testing::kPrisonerRow, testing::kPrisonerColumn));
  ASSERT_EQ(result.equilibria.size(), 1u);
  EXPECT_TRUE(contains_profile(profiles(result), {{0, 1}, {0, 1}}));
  EXPECT_EQ(result.equilibria[0].payoffs, (std::vector<double>{-2, -2}));
}

// The row player is indifferent everywhere, the column player matches the row player: a
// continuum of equilibria whose extreme points have supports of unequal size.
TEST(SupportEnumerationTest, FindsTheExtremeEquilibriaOfADegenerateGame) {
  const NashResult result = enumerate(bimatrix({{1, 1}, {1, 1}}, {{1, 0}, {0, 1}}));
  ASSERT_EQ(result.equilibria.size(), 4u);
  const std::vector<Profile> found = profiles(result);
  EXPECT_TRUE(contains_profile(found, {{1, 0}, {1, 0}}));
  EXPECT_TRUE(contains_profile(found, {{0, 1}, {0, 1}}));
  EXPECT_TRUE(contains_profile(found, {{0.5, 0.5}, {1, 0}}));
  EXPECT_TRUE(contains_profile(found, {{0.5, 0.5}, {0, 1}}));
}

// Battle of the sexes with the row player's first action duplicated: the mixed equilibrium
// splits 3/5 between the two copies in any proportion; its extreme points put it on one copy.
TEST(SupportEnumerationTest, FindsTheExtremeEquilibriaWithADuplicatedRow) {
  const NashResult result = enumerate(bimatrix({{3, 0}, {3, 0}, {0, 2}}, {{2, 0}, {2, 0}, {0, 3}}));
  ASSERT_EQ(result.equilibria.size(), 5u);
  const std::vector<Profile> found = profiles(result);
  EXPECT_TRUE(contains_profile(found, {{1, 0, 0}, {1, 0}}));
  EXPECT_TRUE(contains_profile(found, {{0, 1, 0}, {1, 0}}));
  EXPECT_TRUE(contains_profile(found, {{0, 0, 1}, {0, 1}}));
  EXPECT_TRUE(contains_profile(found, {{0.6, 0, 0.4}, {0.4, 0.6}}));
  EXPECT_TRUE(contains_profile(found, {{0, 0.6, 0.4}, {0.4, 0.6}}));
}

TEST(SupportEnumerationTest, AllEqualPayoffsMakeEveryPurePairAnExtremeEquilibrium) {
  const NashResult result = enumerate(bimatrix({{0, 0, 0}, {0, 0, 0}}, {{0, 0, 0}, {0, 0, 0}}));
  EXPECT_EQ(result.equilibria.size(), 6u);
}

// Matching pennies plus a third action for each player that is strictly worse for it: removed
// before enumerating (2 x 2 left: 5 systems per player), and padded with 0 in the result.
TEST(SupportEnumerationTest, RemovesStrictlyDominatedActionsFirst) {
  const NashResult result = enumerate(
      bimatrix({{1, -1, 0}, {-1, 1, 0}, {-2, -2, -2}}, {{-1, 1, -2}, {1, -1, -2}, {0, 0, -3}}));
  ASSERT_EQ(result.equilibria.size(), 1u);
  EXPECT_TRUE(contains_profile(profiles(result), {{0.5, 0.5, 0}, {0.5, 0.5, 0}}));
  EXPECT_EQ(result.iterations, 10u);
}

TEST(SupportEnumerationTest, OneThousandRandomGamesGiveOnlyValidEquilibria) {
  core::Generator generator(20261129);
  std::size_t total = 0;
  for (int game_index = 0; game_index < 1000; ++game_index) {
    const std::size_t m = static_cast<std::size_t>(generator.integers(1, 8));
    const std::size_t n = static_cast<std::size_t>(generator.integers(1, 8));
    const bool integer = game_index % 2 == 1;
    const NormalFormGame game = testing::random_bimatrix(generator, m, n, integer);
    auto result = support_enumeration(game);
    ASSERT_TRUE(result.ok()) << result.status().message();
    ASSERT_FALSE(result->equilibria.empty()) << "game " << game_index;
    for (const Equilibrium& equilibrium : result->equilibria) {
      ASSERT_TRUE(is_bimatrix_equilibrium(game, equilibrium.strategies)) << "game " << game_index;
    }
    // A nondegenerate game has an odd number of equilibria.
    if (!integer) {
      EXPECT_EQ(result->equilibria.size() % 2, 1u) << "game " << game_index;
    }
    // Every pure equilibrium is an extreme equilibrium.
    const std::vector<Profile> found = profiles(*result);
    for (const Equilibrium& pure : pure_equilibria(game).equilibria) {
      EXPECT_TRUE(contains_profile(found, pure.strategies)) << "game " << game_index;
    }
    total += result->equilibria.size();
  }
  EXPECT_GT(total, 1000u);
}

TEST(SupportEnumerationTest, RefusesWhatItCannotDo) {
  auto three_players = NormalFormGame::create(
      {2, 2, 2}, std::vector<std::vector<double>>(3, std::vector<double>(8, 0.0)));
  ASSERT_TRUE(three_players.ok());
  EXPECT_EQ(support_enumeration(*three_players).status().code(), core::ErrorCode::kInvalidArgument);
  core::Generator generator(1);
  const NormalFormGame large = testing::random_bimatrix(generator, 14, 14, false);
  auto refused = support_enumeration(large);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), core::ErrorCode::kOutOfRange);
  // solve_nash falls back to Lemke-Howson from every label.
  auto solved = solve_nash(large);
  ASSERT_TRUE(solved.ok()) << solved.status().message();
  EXPECT_EQ(solved->method, "lemke_howson");
  ASSERT_FALSE(solved->equilibria.empty());
  for (const Equilibrium& equilibrium : solved->equilibria) {
    EXPECT_TRUE(is_bimatrix_equilibrium(large, equilibrium.strategies));
  }
}

}  // namespace
}  // namespace tars::marl
