#include "tars/store/record_json.h"

#include <gtest/gtest.h>

namespace tars::store {
namespace {

// The field names T.A.R.S. 1.0's clients read.
TEST(RecordJson, KeepsTars1FieldNames) {
  EvaluationRecord record;
  record.id = 3;
  record.agent_id = "a";
  record.created_at = core::from_micros(1767225600000000);
  record.metrics = EvaluationMetrics{.mean_reward = 1.5, .mean_loss = 0.25};
  record.regression = RegressionVerdict{.detected = true, .failed_checks = {{"x", 1, 2, "m"}}};
  record.episodes = {{0, 4, 1.5, 10, true}};
  const auto json = to_json(record);
  for (const char* key :
       {"mean_reward", "std_reward", "min_reward", "max_reward", "success_rate", "mean_steps",
        "mean_loss", "loss_trend", "action_entropy", "reward_variance"}) {
    EXPECT_TRUE(json["metrics"].contains(key)) << key;
  }
  for (const char* key :
       {"detected", "regression_score", "reason", "should_rollback", "failed_checks"}) {
    EXPECT_TRUE(json["regression"].contains(key)) << key;
  }
  EXPECT_EQ(json["episodes"][0]["episode_num"], 0);
  EXPECT_EQ(json["episodes"][0]["total_reward"], 1.5);
  EXPECT_EQ(json["episodes"][0]["success"], true);
  EXPECT_EQ(json["created_at"], "2026-01-01T00:00:00.000000Z");
  EXPECT_TRUE(json["started_at"].is_null());
  EXPECT_TRUE(json["duration_seconds"].is_null());
  EXPECT_TRUE(json["metrics"]["loss_trend"].is_null());  // LossTrend::kNone
  EXPECT_EQ(json["metrics"]["mean_loss"], 0.25);
  EXPECT_EQ(json["status"], "pending");
  EXPECT_EQ(json["hyperparameters"], nlohmann::json::object());
  EXPECT_TRUE(json["baseline_comparison"].is_null());
}

TEST(RecordJson, StoredDocumentPlusIdIsTheRecordWithoutEpisodes) {
  EvaluationRecord record;
  record.id = 42;
  record.agent_id = "a\"b";
  record.created_at = core::from_micros(1767225600000000);
  record.episodes = {{0, 4, 1.5, 10, true}};
  const std::string document = evaluation_document(record);
  EXPECT_EQ(document.find("\"id\""), std::string::npos);
  EXPECT_EQ(document.find("\"episodes\""), std::string::npos);
  const std::string listed = evaluation_json(42, document);
  EXPECT_TRUE(listed.starts_with(R"({"id":42,"action_counts":[])")) << listed;
  record.episodes.clear();
  EXPECT_EQ(listed, json_text(record));
}

TEST(RecordJson, LeavesEpisodesOutWhenNotLoaded) {
  EXPECT_FALSE(to_json(EvaluationRecord{}).contains("episodes"));
}

}  // namespace
}  // namespace tars::store
