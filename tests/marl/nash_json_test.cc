#include "tars/marl/nash_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "marl/test_games.h"

namespace tars::marl {
namespace {

TEST(NashJsonTest, WritesEveryField) {
  auto result = solve_nash(testing::bimatrix(testing::kPrisonerRow, testing::kPrisonerColumn));
  ASSERT_TRUE(result.ok());
  const nlohmann::json json = to_json(*result);
  EXPECT_EQ(json.dump(),
            R"({"converged":true,"equilibria":[{"exploitability":0.0,"payoffs":[-2.0,-2.0],)"
            R"("strategies":[[0.0,1.0],[0.0,1.0]]}],"exploitability":0.0,)"
            R"("iterations":2,"method":"support_enumeration","truncated":false})");
}

}  // namespace
}  // namespace tars::marl
