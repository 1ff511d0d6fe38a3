#include "tars/app/marl_train.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace tars::app {
namespace {

MarlTrainRequest small_run(int validation_every) {
  MarlTrainRequest request;
  request.episodes = 20;
  request.orchestrator.seed = 3;
  request.orchestrator.sim.episode_length = 10;
  request.progress_every = 0;
  request.validation_every = validation_every;
  request.validation_episodes = 3;
  return request;
}

// Validation runs every 4 episodes of the second half and at the end; the best result is the
// highest, and its team is evaluated on the final seeds like the last one.
TEST(MarlTrain, ValidatesTheSecondHalfAndEvaluatesTheBestTeam) {
  std::ostringstream progress;
  auto summary = run_marl_training(small_run(4), progress);
  ASSERT_TRUE(summary.ok()) << summary.status().to_string();
  std::vector<std::int64_t> episodes;
  for (const Validation& v : summary->validations) episodes.push_back(v.episode);
  EXPECT_EQ(episodes, (std::vector<std::int64_t>{12, 16, 20}));
  ASSERT_TRUE(summary->best.has_value());
  const auto best = std::max_element(
      summary->validations.begin(), summary->validations.end(),
      [](const Validation& a, const Validation& b) { return a.global_reward < b.global_reward; });
  EXPECT_EQ(summary->best->episode, best->episode);
  EXPECT_DOUBLE_EQ(summary->best->global_reward, best->global_reward);
  if (summary->best->episode == 20) {
    EXPECT_DOUBLE_EQ(summary->best_evaluation_global_reward, summary->evaluation_global_reward);
  }
  EXPECT_NE(summary->to_json().find("\"best\":{\"episode\""), std::string::npos);
}

// Validating evaluates the team without changing how it trains: the final team is the same.
TEST(MarlTrain, ValidationDoesNotChangeTraining) {
  std::ostringstream progress;
  auto validated = run_marl_training(small_run(2), progress);
  auto plain = run_marl_training(small_run(0), progress);
  ASSERT_TRUE(validated.ok() && plain.ok());
  EXPECT_EQ(validated->evaluation_global_reward, plain->evaluation_global_reward);
  EXPECT_EQ(validated->final_returns, plain->final_returns);
  EXPECT_TRUE(plain->validations.empty());
  EXPECT_NE(plain->to_json().find("\"best\":null"), std::string::npos);
}

TEST(MarlTrain, RefusesBadValidationSettings) {
  std::ostringstream progress;
  MarlTrainRequest request = small_run(-1);
  auto negative = run_marl_training(request, progress);
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("--validation-every"), std::string::npos);
  request = small_run(2);
  request.validation_episodes = 0;
  auto none = run_marl_training(request, progress);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("--validation-episodes"), std::string::npos);
}

}  // namespace
}  // namespace tars::app
