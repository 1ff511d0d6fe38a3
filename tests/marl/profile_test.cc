#include "tars/marl/profile.h"

#include <gtest/gtest.h>

#include <vector>

#include "marl/test_games.h"

namespace tars::marl {
namespace {

using testing::bimatrix;

TEST(ProfileTest, RegretsOfThePrisonersDilemma) {
  const NormalFormGame game = bimatrix(testing::kPrisonerRow, testing::kPrisonerColumn);
  auto both_cooperate = evaluate_profile(game, {{1, 0}, {1, 0}});
  ASSERT_TRUE(both_cooperate.ok()) << both_cooperate.status().message();
  EXPECT_EQ(both_cooperate->payoffs, (std::vector<double>{-1, -1}));
  EXPECT_EQ(both_cooperate->regrets, (std::vector<double>{1, 1}));  // defecting gains 1
  EXPECT_EQ(both_cooperate->exploitability, 2.0);
  auto both_defect = evaluate_profile(game, {{0, 1}, {0, 1}});
  ASSERT_TRUE(both_defect.ok());
  EXPECT_EQ(both_defect->exploitability, 0.0);
}

TEST(ProfileTest, MixedEquilibriumOfBattleOfTheSexesHasNoRegret) {
  const NormalFormGame game = bimatrix(testing::kBattleRow, testing::kBattleColumn);
  auto evaluation = evaluate_profile(game, {{0.6, 0.4}, {0.4, 0.6}});
  ASSERT_TRUE(evaluation.ok());
  EXPECT_NEAR(evaluation->payoffs[0], 1.2, 1e-15);
  EXPECT_NEAR(evaluation->payoffs[1], 1.2, 1e-15);
  EXPECT_NEAR(evaluation->exploitability, 0.0, 1e-15);
}

TEST(ProfileTest, DeviationPayoffsMatchABruteForceSumForThreePlayers) {
  std::vector<std::vector<double>> payoffs(3);
  for (int p = 0; p < 3; ++p) {
    for (int j = 0; j < 2 * 3 * 2; ++j) payoffs[p].push_back((7 * j + 5 * p) % 11 - 4.0);
  }
  auto game = NormalFormGame::create({2, 3, 2}, payoffs);
  ASSERT_TRUE(game.ok());
  const Profile profile = {{0.25, 0.75}, {0.5, 0.2, 0.3}, {0.9, 0.1}};
  DeviationPayoffs deviations(*game);
  deviations.compute(profile);
  for (std::size_t p = 0; p < 3; ++p) {
    double expected = 0.0;
    for (std::size_t own = 0; own < game->actions(p); ++own) {
      double value = 0.0;
      for (std::size_t a0 = 0; a0 < 2; ++a0) {
        for (std::size_t a1 = 0; a1 < 3; ++a1) {
          for (std::size_t a2 = 0; a2 < 2; ++a2) {
            std::vector<std::size_t> joint = {a0, a1, a2};
            if (joint[p] != own) continue;
            double weight = 1.0;
            for (std::size_t q = 0; q < 3; ++q) weight *= q == p ? 1.0 : profile[q][joint[q]];
            value += weight * game->payoff(p, joint);
          }
        }
      }
      EXPECT_NEAR(deviations.values(p)[own], value, 1e-12) << p << " " << own;
      expected += profile[p][own] * value;
    }
    EXPECT_NEAR(deviations.expected(p), expected, 1e-12);
    EXPECT_GE(deviations.regret(p), 0.0);
  }
}

TEST(ProfileTest, ValidationNamesTheProblem) {
  const NormalFormGame game = bimatrix(testing::kBattleRow, testing::kBattleColumn);
  EXPECT_EQ(validate_profile(game, {{1, 0}}).message(),
            "the profile has 1 strategies for 2 players");
  EXPECT_EQ(validate_profile(game, {{1, 0}, {1}}).message(),
            "player 1's strategy has 1 entries, expected 2");
  EXPECT_EQ(validate_profile(game, {{1.5, -0.5}, {1, 0}}).message(),
            "player 0's probability of action 1 is -0.5, expected a number >= 0");
  EXPECT_EQ(validate_profile(game, {{0.5, 0.4}, {1, 0}}).message(),
            "player 0's probabilities sum to 0.9, expected 1");
  EXPECT_TRUE(validate_profile(game, {{0.5, 0.5}, {0, 1}}).ok());
  EXPECT_FALSE(evaluate_profile(game, {{0.5, 0.4}, {1, 0}}).ok());
}

}  // namespace
}  // namespace tars::marl
