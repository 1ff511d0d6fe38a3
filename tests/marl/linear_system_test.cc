#include "tars/marl/linear_system.h"

#include <gtest/gtest.h>

#include <vector>

namespace tars::marl {
namespace {

TEST(IncrementalEliminationTest, SolvesWhenTheFirstCoefficientIsZero) {
  // The first equation has no z0: without pivoting this would divide by zero.
  IncrementalElimination elimination(4);
  elimination.reset(3);
  ASSERT_TRUE(elimination.add(std::vector<double>{0, 2, 1}, 7, 1e-12));
  ASSERT_TRUE(elimination.add(std::vector<double>{1, 1, 1}, 6, 1e-12));
  ASSERT_TRUE(elimination.add(std::vector<double>{2, 1, 3}, 13, 1e-12));
  EXPECT_EQ(elimination.equations(), 3u);
  std::vector<double> z(3);
  elimination.solve(z);  // (1, 2, 3)
  EXPECT_NEAR(z[0], 1.0, 1e-14);
  EXPECT_NEAR(z[1], 2.0, 1e-14);
  EXPECT_NEAR(z[2], 3.0, 1e-14);
}

TEST(IncrementalEliminationTest, ReplacingTheLastEquationReusesTheFirst) {
  IncrementalElimination elimination(3);
  elimination.reset(2);
  ASSERT_TRUE(elimination.add(std::vector<double>{1, 1}, 3, 1e-12));
  ASSERT_TRUE(elimination.add(std::vector<double>{1, -1}, 1, 1e-12));
  std::vector<double> z(2);
  elimination.solve(z);
  EXPECT_NEAR(z[0], 2.0, 1e-15);
  EXPECT_NEAR(z[1], 1.0, 1e-15);
  elimination.truncate(1);
  ASSERT_TRUE(elimination.add(std::vector<double>{2, -1}, 0, 1e-12));
  elimination.solve(z);
  EXPECT_NEAR(z[0], 1.0, 1e-15);
  EXPECT_NEAR(z[1], 2.0, 1e-15);
}

TEST(IncrementalEliminationTest, RefusesDependentEquations) {
  IncrementalElimination elimination(2);
  elimination.reset(2);
  ASSERT_TRUE(elimination.add(std::vector<double>{1, 2}, 1, 1e-12));
  EXPECT_FALSE(elimination.add(std::vector<double>{2, 4}, 2, 1e-12));
  EXPECT_FALSE(elimination.add(std::vector<double>{1, 2 + 1e-14}, 2, 1e-12));
  EXPECT_EQ(elimination.equations(), 1u);
  EXPECT_TRUE(elimination.add(std::vector<double>{1, 2 + 1e-6}, 2, 1e-12));
  // A full system takes no more equations.
  EXPECT_FALSE(elimination.add(std::vector<double>{1, 0}, 0, 1e-12));
}

}  // namespace
}  // namespace tars::marl
