// The coordinator: preferences from beliefs, the game over joint candidates, and what the Nash,
// Pareto and independent modes execute.
#include "tars/marl/coordinator.h"

#include <gtest/gtest.h>

namespace tars::marl {
namespace {

constexpr ServiceContext kIdle{.utilisation = 0.3, .replica_fraction = 0.5};

AgentCandidates candidates(std::initializer_list<double> actions,
                           std::initializer_list<double> raw_scores) {
  AgentCandidates out;
  out.count = static_cast<int>(actions.size());
  std::copy(actions.begin(), actions.end(), out.action.begin());
  std::copy(raw_scores.begin(), raw_scores.end(), out.score.begin());
  normalise_scores(out);
  return out;
}

// Proposals that conflict (admit all + 70 % to one group), with conflict-free alternatives.
TeamCandidates conflicting_team() {
  return {candidates({7, 4, 2}, {0.1, 0.9, 0.5}),  // policy: proposes admit all
          candidates({1, 2, 0}, {0.5, 0.4, 0.1}),  // consensus
          candidates({4, 1, 0}, {0.2, 0.8, 0.3}),  // ethical: proposes prioritise interactive
          candidates({0.5, 0.3, 0.7}, {1.0, 0.5, 0.2})};  // resource
}

TEST(Coordinator, PreferencesFavourTheProposalThenRankAlternatives) {
  const AgentCandidates c = candidates({3, 1, 2}, {-5.0, 2.0, 0.0});
  EXPECT_DOUBLE_EQ(c.score[0], 1.0);                // the agent's own (exploring) choice
  EXPECT_DOUBLE_EQ(c.score[1], kAlternativeScore);  // the best belief
  EXPECT_NEAR(c.score[2], kAlternativeScore * 5.0 / 7.0, 1e-12);
  const AgentCandidates tie = candidates({0, 1}, {1.0, 1.0});
  EXPECT_DOUBLE_EQ(tie.score[1], kAlternativeScore);
}

TEST(Coordinator, IndependentModeExecutesTheProposals) {
  Coordinator coordinator({.mode = CoordinationMode::kIndependent});
  core::Generator rng(0);
  auto result = coordinator.coordinate(conflicting_team(), kIdle, rng);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->choice, (std::array<int, 4>{0, 0, 0, 0}));
  EXPECT_EQ(result->action.policy, 7);
  EXPECT_EQ(result->action.ethical, 4);
  EXPECT_EQ(result->executed.count, 1);  // the conflict goes through
  EXPECT_TRUE(result->nash.method.empty());
}

TEST(Coordinator, NashResolvesTheConflictAndReportsAnExactEquilibrium) {
  Coordinator coordinator({.mode = CoordinationMode::kNash});
  core::Generator rng(0);
  auto result = coordinator.coordinate(conflicting_team(), kIdle, rng);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->proposed.count, 1);
  EXPECT_EQ(result->executed.count, 0);
  // Exactly one of the two conflicting agents gives way; the others keep their proposals.
  EXPECT_NE(result->choice[0] == 0, result->choice[2] == 0);
  EXPECT_EQ(result->choice[1], 0);
  EXPECT_EQ(result->choice[3], 0);
  EXPECT_TRUE(result->nash.converged);
  EXPECT_LE(result->nash.exploitability, 1e-12);
  ASSERT_EQ(result->nash.strategies.size(), 4u);
  EXPECT_EQ(result->nash.payoffs.size(), 4u);
  // The agent that gave way executes its best alternative and is less confident.
  const std::size_t yielded = result->choice[0] != 0 ? 0 : 2;
  EXPECT_EQ(result->choice[yielded], 1);
  EXPECT_DOUBLE_EQ(result->confidence[yielded], 0.5 + 0.5 * kAlternativeScore);
}

TEST(Coordinator, ParetoSelectsAFrontierPointWithoutConflict) {
  for (ParetoRule rule : {ParetoRule::kWeightedSum, ParetoRule::kMaxMin, ParetoRule::kCentroid}) {
    Coordinator coordinator({.mode = CoordinationMode::kPareto, .pareto_rule = rule});
    core::Generator rng(0);
    auto result = coordinator.coordinate(conflicting_team(), kIdle, rng);
    ASSERT_TRUE(result.ok());
    const ParetoSummary& pareto = result->pareto;
    ASSERT_EQ(pareto.joint.size(), 81u);
    EXPECT_TRUE(pareto.on_frontier[pareto.selected]) << pareto_rule_name(rule);
    EXPECT_EQ(result->choice, pareto.joint[pareto.selected]);
    EXPECT_EQ(result->executed.count, 0) << pareto_rule_name(rule);
    // Every payoff is above the fixed reference, so the frontier has a positive volume.
    EXPECT_GT(pareto.hypervolume, 0.0);
  }
}

TEST(Coordinator, RejectsAgentsWithoutCandidates) {
  TeamCandidates team = conflicting_team();
  team[1].count = 0;
  Coordinator coordinator({});
  core::Generator rng(0);
  auto result = coordinator.coordinate(team, kIdle, rng);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("consensus"), std::string::npos);
}

TEST(Coordinator, ModesAndRulesParseByName) {
  EXPECT_EQ(*parse_coordination_mode("pareto"), CoordinationMode::kPareto);
  EXPECT_FALSE(parse_coordination_mode("majority").ok());
  EXPECT_EQ(*parse_pareto_rule("max_min"), ParetoRule::kMaxMin);
  EXPECT_FALSE(parse_pareto_rule("best").ok());
}

}  // namespace
}  // namespace tars::marl
