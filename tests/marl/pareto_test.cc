#include "tars/marl/pareto.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace tars::marl {
namespace {

using Points = std::vector<std::vector<double>>;

// Normalised (objective 0 over [0, 3], objective 1 over [0, 6]): candidate 0 (1/3, 5/6),
// 1 (2/3, 2/3), 4 (1, 1/6), 5 (0, 1); 2 repeats 1, 3 and 6 are dominated.
const Points kCandidates = {{1, 5}, {2, 4}, {2, 4}, {1, 4}, {3, 1}, {0, 6}, {3, 0}};

TEST(ParetoTest, FrontierDropsDominatedAndRepeatedCandidates) {
  auto frontier = pareto_frontier(kCandidates);
  ASSERT_TRUE(frontier.ok());
  EXPECT_EQ(*frontier, (std::vector<std::size_t>{0, 1, 4, 5}));
  auto three = pareto_frontier({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.5, 0.5, 0.5}, {0.4, 0.4, 0.4}});
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(*three, (std::vector<std::size_t>{0, 1, 2, 3}));
  auto single = pareto_frontier({{2, 2}, {2, 2}});
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(*single, (std::vector<std::size_t>{0}));
}

TEST(ParetoTest, NormalisesByMinAndMaxOverAllCandidates) {
  auto z = normalise_objectives({{1, 7}, {3, 7}, {2, 7}});
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(*z, (Points{{0, 1}, {1, 1}, {0.5, 1}}));  // a constant objective becomes 1
}

TEST(ParetoTest, MaxMinPicksTheBestWorstObjective) {
  auto selection = select_pareto(kCandidates, ParetoRule::kMaxMin);
  ASSERT_TRUE(selection.ok());
  EXPECT_EQ(selection->chosen, 1u);
  EXPECT_DOUBLE_EQ(selection->score, 2.0 / 3.0);
  EXPECT_EQ(selection->frontier.size(), 4u);
  auto three = select_pareto({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.5, 0.5, 0.5}, {0.4, 0.4, 0.4}},
                             ParetoRule::kMaxMin);
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->chosen, 3u);
}

TEST(ParetoTest, WeightedSumFollowsTheWeights) {
  const std::vector<double> first_only = {1, 0};
  auto selection = select_pareto(kCandidates, ParetoRule::kWeightedSum, first_only);
  ASSERT_TRUE(selection.ok());
  EXPECT_EQ(selection->chosen, 4u);  // not 6, which ties on objective 0 but is dominated
  EXPECT_DOUBLE_EQ(selection->score, 1.0);
  const std::vector<double> second_only = {0, 1};
  EXPECT_EQ(select_pareto(kCandidates, ParetoRule::kWeightedSum, second_only)->chosen, 5u);
  const std::vector<double> equal = {1, 1};
  auto balanced = select_pareto(kCandidates, ParetoRule::kWeightedSum, equal);
  EXPECT_EQ(balanced->chosen, 1u);
  EXPECT_DOUBLE_EQ(balanced->score, 4.0 / 3.0);
}

TEST(ParetoTest, CentroidPicksTheFrontierPointNearestTheMean) {
  // The frontier's mean z is (1/2, 2/3); candidate 1 is 1/6 away, the others farther.
  auto selection = select_pareto(kCandidates, ParetoRule::kCentroid);
  ASSERT_TRUE(selection.ok());
  EXPECT_EQ(selection->chosen, 1u);
  EXPECT_NEAR(selection->score, 1.0 / 6.0, 1e-15);
  // (0.45, 0.45) and (0.1, 0.1) are dominated by (0.6, 0.6); the frontier's mean is
  // (8/15, 8/15), nearest to (0.6, 0.6).
  auto symmetric =
      select_pareto({{0, 1}, {1, 0}, {0.45, 0.45}, {0.6, 0.6}, {0.1, 0.1}}, ParetoRule::kCentroid);
  ASSERT_TRUE(symmetric.ok());
  EXPECT_EQ(symmetric->frontier, (std::vector<std::size_t>{0, 1, 3}));
  EXPECT_EQ(symmetric->chosen, 3u);
}

TEST(ParetoTest, RejectsBadInput) {
  EXPECT_EQ(pareto_frontier({}).status().message(), "there are no candidates");
  EXPECT_EQ(pareto_frontier({{1, 2}, {3}}).status().message(),
            "candidate 1 has 1 objectives, expected 2");
  EXPECT_EQ(pareto_frontier({{1, std::numeric_limits<double>::infinity()}}).status().message(),
            "candidate 0's objective 1 is not finite");
  const std::vector<double> one = {1}, negative = {1, -1}, zeros = {0, 0};
  EXPECT_EQ(select_pareto(kCandidates, ParetoRule::kWeightedSum, one).status().message(),
            "1 weights for 2 objectives");
  EXPECT_EQ(select_pareto(kCandidates, ParetoRule::kWeightedSum, negative).status().message(),
            "weight 1 is -1, expected a finite number >= 0");
  EXPECT_EQ(select_pareto(kCandidates, ParetoRule::kWeightedSum, zeros).status().message(),
            "the weights are all 0");
  EXPECT_EQ(select_pareto(kCandidates, ParetoRule::kMaxMin, zeros).status().message(),
            "weights are only used by the weighted-sum rule");
}

}  // namespace
}  // namespace tars::marl
