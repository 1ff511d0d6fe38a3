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

std::vector<Profile> all_labels(const NormalFormGame& game) {
  auto result = lemke_howson(game, {.lemke_howson_all_labels = true});
  EXPECT_TRUE(result.ok()) << result.status().message();
  std::vector<Profile> found;
  if (!result.ok()) return found;
  EXPECT_EQ(result->method, "lemke_howson");
  for (const Equilibrium& equilibrium : result->equilibria) {
    EXPECT_TRUE(is_bimatrix_equilibrium(game, equilibrium.strategies));
    found.push_back(equilibrium.strategies);
  }
  return found;
}

TEST(LemkeHowsonTest, ClassicGames) {
  const std::vector<Profile> pennies =
      all_labels(bimatrix(testing::kMatchingPennies, testing::kMatchingPenniesColumn));
  ASSERT_EQ(pennies.size(), 1u);
  EXPECT_TRUE(contains_profile(pennies, {{0.5, 0.5}, {0.5, 0.5}}));
  const double third = 1.0 / 3.0;
  EXPECT_TRUE(contains_profile(
      all_labels(bimatrix(testing::kRockPaperScissors, testing::kRockPaperScissorsColumn)),
      {{third, third, third}, {third, third, third}}));
  const std::vector<Profile> prisoners =
      all_labels(bimatrix(testing::kPrisonerRow, testing::kPrisonerColumn));
  ASSERT_EQ(prisoners.size(), 1u);
  EXPECT_TRUE(contains_profile(prisoners, {{0, 1}, {0, 1}}));
}

// In battle of the sexes, dropping label 0 (row action 0) leads to one pure equilibrium; the
// mixed one is not reachable from the artificial equilibrium (its index is -1).
TEST(LemkeHowsonTest, BattleOfTheSexesFromEachLabel) {
  const NormalFormGame game = bimatrix(testing::kBattleRow, testing::kBattleColumn);
  for (std::size_t label = 0; label < 4; ++label) {
    auto result = lemke_howson(game, {.lemke_howson_label = label});
    ASSERT_TRUE(result.ok()) << result.status().message();
    ASSERT_EQ(result->equilibria.size(), 1u);
    const Profile& profile = result->equilibria[0].strategies;
    EXPECT_TRUE(is_bimatrix_equilibrium(game, profile));
    EXPECT_TRUE(contains_profile({profile}, {{1, 0}, {1, 0}}) ||
                contains_profile({profile}, {{0, 1}, {0, 1}}));
  }
  auto bad_label = lemke_howson(game, {.lemke_howson_label = 4});
  ASSERT_FALSE(bad_label.ok());
  EXPECT_EQ(bad_label.status().message(), "the Lemke-Howson label must be below 4, got 4");
}

TEST(LemkeHowsonTest, DegenerateGamesDoNotCycle) {
  EXPECT_FALSE(all_labels(bimatrix({{1, 1}, {1, 1}}, {{1, 0}, {0, 1}})).empty());
  EXPECT_FALSE(all_labels(bimatrix({{3, 0}, {3, 0}, {0, 2}}, {{2, 0}, {2, 0}, {0, 3}})).empty());
  EXPECT_FALSE(all_labels(bimatrix({{0, 0, 0}, {0, 0, 0}}, {{0, 0, 0}, {0, 0, 0}})).empty());
}

// Lemke-Howson ends at a vertex pair, so whatever it finds is among support enumeration's
// extreme equilibria.
TEST(LemkeHowsonTest, OneThousandRandomGamesAgreeWithSupportEnumeration) {
  core::Generator generator(7);
  for (int game_index = 0; game_index < 1000; ++game_index) {
    const std::size_t m = static_cast<std::size_t>(generator.integers(1, 8));
    const std::size_t n = static_cast<std::size_t>(generator.integers(1, 8));
    const NormalFormGame game = testing::random_bimatrix(generator, m, n, game_index % 2 == 1);
    const std::vector<Profile> found = all_labels(game);
    ASSERT_FALSE(found.empty()) << "game " << game_index;
    auto enumerated = support_enumeration(game);
    ASSERT_TRUE(enumerated.ok());
    std::vector<Profile> extreme;
    for (const Equilibrium& equilibrium : enumerated->equilibria) {
      extreme.push_back(equilibrium.strategies);
    }
    for (const Profile& profile : found) {
      EXPECT_TRUE(contains_profile(extreme, profile, 1e-7)) << "game " << game_index;
    }
  }
}

TEST(LemkeHowsonTest, LargeGamesStayFast) {
  core::Generator generator(3);
  const NormalFormGame game = testing::random_bimatrix(generator, 40, 40, true);
  auto result = lemke_howson(game);
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->equilibria.size(), 1u);
  EXPECT_TRUE(is_bimatrix_equilibrium(game, result->equilibria[0].strategies));
}

}  // namespace
}  // namespace tars::marl
