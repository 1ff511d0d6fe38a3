#include "tars/marl/hypervolume.h"

#include <gtest/gtest.h>

#include <vector>

#include "tars/core/rng.h"

namespace tars::marl {
namespace {

using Points = std::vector<std::vector<double>>;

double volume(const Points& points, const std::vector<double>& reference) {
  auto result = hypervolume(points, reference);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? *result : -1.0;
}

TEST(HypervolumeTest, TwoObjectivesByHand) {
  // Boxes of (1, 3), (2, 2), (3, 1) over the origin: a staircase of 3 + 2 + 1.
  EXPECT_DOUBLE_EQ(volume({{1, 3}, {2, 2}, {3, 1}}, {0, 0}), 6.0);
  // A dominated point, a repeat and a point outside the reference box change nothing.
  EXPECT_DOUBLE_EQ(volume({{1, 3}, {2, 2}, {1, 1}, {2, 2}, {3, 1}, {-1, 5}}, {0, 0}), 6.0);
  // Points on the reference's boundary add nothing.
  EXPECT_DOUBLE_EQ(volume({{1, 3}, {2, 2}, {3, 1}}, {1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(volume({}, {0, 0}), 0.0);
  EXPECT_DOUBLE_EQ(volume({{4}, {2}}, {1}), 3.0);
}

TEST(HypervolumeTest, ThreeAndFourObjectivesByHand) {
  EXPECT_DOUBLE_EQ(volume({{2, 3, 4}}, {0, 0, 0}), 24.0);
  // 4 + 2 - the shared unit cube.
  EXPECT_DOUBLE_EQ(volume({{2, 2, 1}, {1, 1, 2}}, {0, 0, 0}), 5.0);
  // Three 3 x 1 x 1 bars along the axes: 9 - 3 overlaps + the cube they all share = 7.
  EXPECT_DOUBLE_EQ(volume({{3, 1, 1}, {1, 3, 1}, {1, 1, 3}, {1, 1, 1}}, {0, 0, 0}), 7.0);
  // Shifted reference: each bar 2.5 x 0.5 x 0.5 = 0.625, every overlap the cube 0.125:
  // 1.875 - 0.375 + 0.125.
  EXPECT_DOUBLE_EQ(volume({{3, 1, 1}, {1, 3, 1}, {1, 1, 3}}, {0.5, 0.5, 0.5}), 1.625);
  EXPECT_DOUBLE_EQ(volume({{2, 1, 1, 1}, {1, 2, 1, 1}}, {0, 0, 0, 0}), 3.0);
}

// Integer points: the exact volume is the number of unit cells [c, c + 1] covered by some box.
double covered_cells(const Points& points, std::size_t objectives, int size) {
  std::size_t cells = 1;
  for (std::size_t k = 0; k < objectives; ++k) cells *= static_cast<std::size_t>(size);
  double count = 0.0;
  for (std::size_t cell = 0; cell < cells; ++cell) {
    for (const std::vector<double>& point : points) {
      bool covers = true;
      std::size_t rest = cell;
      for (std::size_t k = 0; k < objectives && covers; ++k) {
        covers = point[k] >= static_cast<double>(rest % size) + 1.0;
        rest /= size;
      }
      if (covers) {
        count += 1.0;
        break;
      }
    }
  }
  return count;
}

TEST(HypervolumeTest, MatchesCellCountingOnRandomIntegerSets) {
  core::Generator generator(11);
  for (std::size_t objectives = 2; objectives <= 4; ++objectives) {
    for (int trial = 0; trial < 50; ++trial) {
      Points points(static_cast<std::size_t>(generator.integers(1, 25)));
      for (std::vector<double>& point : points) {
        for (std::size_t k = 0; k < objectives; ++k) {
          point.push_back(static_cast<double>(generator.integers(0, 6)));
        }
      }
      const std::vector<double> reference(objectives, 0.0);
      EXPECT_DOUBLE_EQ(volume(points, reference), covered_cells(points, objectives, 6))
          << objectives << " objectives, trial " << trial;
    }
  }
}

TEST(HypervolumeTest, RejectsBadInputAndTooMuchWork) {
  EXPECT_EQ(hypervolume({{1, 2}}, std::vector<double>{0}).status().message(),
            "the points have 2 objectives, the reference 1");
  EXPECT_EQ(hypervolume({{1, 2}, {1}}, std::vector<double>{0, 0}).status().message(),
            "candidate 1 has 1 objectives, expected 2");
  const Points many(10'001, std::vector<double>{1, 1, 1});
  auto refused = hypervolume(many, std::vector<double>{0, 0, 0});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), core::ErrorCode::kOutOfRange);
  EXPECT_TRUE(
      hypervolume(Points(10'000, std::vector<double>{1, 1, 1}), std::vector<double>{0, 0, 0}).ok());
}

}  // namespace
}  // namespace tars::marl
