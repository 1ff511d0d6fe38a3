// The same repository behaviour on both backends: a SQLite file and a real PostgreSQL server.
#include <gtest/gtest.h>

#include <thread>

#include "store/store_test_support.h"
#include "tars/store/migration.h"
#include "tars/store/record_json.h"
#include "tars/store/sqlite/connection.h"

namespace tars::store {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;

// 2026-01-01T00:00:00Z, so filters by time are exact.
const core::Timestamp kEpoch = core::from_micros(1767225600000000);

EvaluationMetrics metrics_with_mean(double mean) {
  return {.mean_reward = mean,
          .std_reward = 1.5,
          .min_reward = mean - 3,
          .max_reward = mean + 3,
          .success_rate = 0.25,
          .mean_steps = 200.5,
          .mean_loss = 0.125,
          .loss_trend = LossTrend::kDecreasing,
          .action_entropy = 0.69314718055994529,
          .reward_variance = 2.25};
}

EvaluationRecord pending(std::string agent_id, core::Timestamp created_at,
                         std::string agent_type = "ppo", std::string environment = "CartPole-v1") {
  EvaluationRecord record;
  record.agent_id = std::move(agent_id);
  record.agent_type = std::move(agent_type);
  record.environment = std::move(environment);
  record.num_episodes = 3;
  record.seed = 42;
  record.hyperparameters = R"({"gamma":0.99,"learning_rate":0.0003})";
  record.created_at = created_at;
  return record;
}

EvaluationRecord completed(EvaluationRecord record) {
  record.status = EvaluationStatus::kCompleted;
  record.metrics = metrics_with_mean(-123.456789012345);
  record.regression = RegressionVerdict{
      .detected = true,
      .regression_score = 0.4,
      .reason = "mean reward dropped 20.0% below the baseline (limit 10.0%)",
      .should_rollback = false,
      .failed_checks = {
          {"reward_drop", 0.2, 0.1, "mean reward dropped 20.0% below the baseline (limit 10.0%)"}}};
  record.baseline_comparison = R"({"baseline_mean_reward":-100.0})";
  record.duration_seconds = 1.25;
  record.started_at = record.created_at + microseconds(10);
  record.completed_at = record.created_at + microseconds(1250010);
  record.action_counts = {{300, 301}};
  record.episodes = {
      {0, 42, -120.5, 200, false}, {1, 43, -130.25, 180, true}, {2, 44, -119.5, 221, false}};
  return record;
}

BaselineRecord baseline(double mean, std::string agent_type = "ppo") {
  return {.agent_type = std::move(agent_type),
          .environment = "CartPole-v1",
          .metrics = metrics_with_mean(mean),
          .hyperparameters = R"({"gamma":0.99})"};
}

class RepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    opened_ = test::open_test_database(GetParam());
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
  }
  Database& db() { return *opened_.database; }
  EvaluationRepository& evaluations() { return db().evaluations(); }
  BaselineRepository& baselines() { return db().baselines(); }

  EvaluationRecord fetch(std::int64_t id) {
    auto stored = evaluations().get(id, true);
    EXPECT_TRUE(stored.ok()) << stored.status().to_string();
    EXPECT_TRUE(stored.ok() && stored->has_value());
    return stored.ok() && stored->has_value() ? **stored : EvaluationRecord{};
  }

  test::TestDatabase opened_;
};

TEST_P(RepositoryTest, MigrationsApplyOnceAndAreRecorded) {
  auto again = db().migrate();
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_TRUE(again->empty());
  auto infos = db().migrations();
  ASSERT_TRUE(infos.ok());
  const auto known = GetParam() == "sqlite" ? sqlite_migrations() : postgres_migrations();
  ASSERT_EQ(infos->size(), known.size());
  for (std::size_t i = 0; i < known.size(); ++i) {
    EXPECT_EQ((*infos)[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ((*infos)[i].name, known[i].name);
    EXPECT_TRUE((*infos)[i].applied_at.has_value()) << known[i].name;
  }
  EXPECT_TRUE(db().ping().ok());
}

TEST_P(RepositoryTest, CompletedEvaluationRoundTripsExactly) {
  auto record = completed(pending("agent-1", kEpoch));
  auto id = evaluations().create(record);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  record.id = *id;
  EXPECT_EQ(fetch(*id), record);

  auto without_episodes = evaluations().get(*id, false);
  ASSERT_TRUE(without_episodes.ok() && without_episodes->has_value());
  EXPECT_TRUE((*without_episodes)->episodes.empty());
  auto missing = evaluations().get(*id + 1000, true);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

// PostgreSQL's JSONB reorders keys and adds spaces; both backends return one canonical form.
TEST_P(RepositoryTest, JsonFieldsComeBackCompactWithSortedKeys) {
  auto record = completed(pending("agent-1", kEpoch));
  record.hyperparameters = R"({ "learning_rate": 3e-4, "gamma": 0.99 })";
  record.baseline_comparison = R"({"z": [1, 2], "a": null})";
  const auto stored = fetch(evaluations().create(record).value());
  EXPECT_EQ(stored.hyperparameters, R"({"gamma":0.99,"learning_rate":0.0003})");
  EXPECT_EQ(stored.baseline_comparison, R"({"a":null,"z":[1,2]})");
}

TEST_P(RepositoryTest, PendingEvaluationKeepsItsNulls) {
  auto record = pending("agent-1", kEpoch);
  auto id = evaluations().create(record);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  const auto stored = fetch(*id);
  EXPECT_EQ(stored.status, EvaluationStatus::kPending);
  EXPECT_FALSE(stored.metrics.has_value());
  EXPECT_FALSE(stored.regression.has_value());
  EXPECT_FALSE(stored.started_at.has_value());
  EXPECT_FALSE(stored.duration_seconds.has_value());
}

TEST_P(RepositoryTest, UpdateReplacesFieldsAndEpisodesThenFreezes) {
  auto record = pending("agent-1", kEpoch);
  record.episodes = {{0, 1, 5.0, 5, false}};
  auto id = evaluations().create(record);
  ASSERT_TRUE(id.ok());
  record.id = *id;
  record.status = EvaluationStatus::kRunning;
  record.started_at = kEpoch + hours(1);
  ASSERT_TRUE(evaluations().update(record).ok());
  EXPECT_EQ(fetch(*id).status, EvaluationStatus::kRunning);

  auto done = completed(record);
  ASSERT_TRUE(evaluations().update(done).ok());
  EXPECT_EQ(fetch(*id), done);

  done.error = "changed after completion";
  const auto frozen = evaluations().update(done);
  EXPECT_EQ(frozen.code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(frozen.message().find("already completed"), std::string::npos) << frozen.message();
  done.id = *id + 1000;
  EXPECT_EQ(evaluations().update(done).code(), core::ErrorCode::kNotFound);
}

TEST_P(RepositoryTest, ListFiltersOrdersAndPages) {
  std::vector<EvaluationRecord> records;
  for (int i = 0; i < 30; ++i) {
    auto record = pending(i % 3 == 0 ? "alpha" : "beta", kEpoch + hours(i),
                          i % 2 == 0 ? "ppo" : "dqn", i < 20 ? "CartPole-v1" : "Acrobot-v1");
    if (i % 5 == 0) record = completed(record);
    records.push_back(record);
  }
  // Two rows with the same time: the id breaks the tie, newest id first.
  records.push_back(pending("alpha", kEpoch + hours(29)));
  ASSERT_TRUE(evaluations().create_many(records).ok());

  auto page = evaluations().list({.limit = 7});
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  EXPECT_EQ(page->total, 31);
  EXPECT_TRUE(page->has_more);
  ASSERT_EQ(page->evaluations.size(), 7u);
  EXPECT_EQ(page->evaluations[0].created_at, kEpoch + hours(29));
  EXPECT_EQ(page->evaluations[1].created_at, kEpoch + hours(29));
  EXPECT_GT(page->evaluations[0].id, page->evaluations[1].id);
  for (std::size_t i = 2; i < page->evaluations.size(); ++i) {
    EXPECT_LT(page->evaluations[i].created_at, page->evaluations[i - 1].created_at);
  }

  auto last = evaluations().list({.limit = 7, .offset = 28});
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->evaluations.size(), 3u);
  EXPECT_FALSE(last->has_more);
  EXPECT_EQ(last->evaluations.back().created_at, kEpoch);

  auto alpha = evaluations().list({.agent_id = "alpha", .limit = 100});
  ASSERT_TRUE(alpha.ok());
  EXPECT_EQ(alpha->total, 11);
  for (const auto& e : alpha->evaluations) EXPECT_EQ(e.agent_id, "alpha");

  auto combined = evaluations().list({.agent_type = "ppo",
                                      .environment = "CartPole-v1",
                                      .status = EvaluationStatus::kCompleted,
                                      .created_since = kEpoch + hours(5),
                                      .created_until = kEpoch + hours(20)});
  ASSERT_TRUE(combined.ok());
  ASSERT_EQ(combined->total, 1);  // i = 10 (i = 0 is too early, i = 20 is past until)
  EXPECT_EQ(combined->evaluations[0].created_at, kEpoch + hours(10));
  EXPECT_TRUE(combined->evaluations[0].episodes.empty());

  auto none = evaluations().list({.agent_id = "nobody"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);
  EXPECT_FALSE(none->has_more);
}

TEST_P(RepositoryTest, JsonListServesEachRowsStoredDocument) {
  std::vector<EvaluationRecord> records;
  for (int i = 0; i < 6; ++i) {
    auto record = pending(i % 2 == 0 ? "alpha" : "beta", kEpoch + hours(i));
    records.push_back(i % 3 == 0 ? completed(record) : record);
  }
  ASSERT_TRUE(evaluations().create_many(records).ok());
  // An update rewrites the document with the row.
  auto first = evaluations().list({.limit = 1}).value().evaluations.front();
  first = completed(first);
  ASSERT_TRUE(evaluations().update(first).ok());

  for (const EvaluationQuery& query :
       {EvaluationQuery{.limit = 100}, EvaluationQuery{.agent_id = "alpha", .limit = 2},
        EvaluationQuery{.limit = 4, .offset = 3}}) {
    auto records_page = evaluations().list(query).value();
    auto json_page = evaluations().list_json(query);
    ASSERT_TRUE(json_page.ok()) << json_page.status().to_string();
    EXPECT_EQ(json_page->total, records_page.total);
    EXPECT_EQ(json_page->has_more, records_page.has_more);
    ASSERT_EQ(json_page->evaluations.size(), records_page.evaluations.size());
    for (std::size_t i = 0; i < records_page.evaluations.size(); ++i) {
      EXPECT_EQ(json_page->evaluations[i], json_text(records_page.evaluations[i]));
    }
  }
  EXPECT_NE(evaluations()
                .list_json({.limit = 1})
                .value()
                .evaluations.front()
                .find(R"("status":"completed")"),
            std::string::npos);
}

TEST(RepositoryJsonListTest, RowsWithoutADocumentAreBuiltFromTheirColumns) {
  auto opened = test::open_test_database("sqlite");
  ASSERT_TRUE(opened.error.empty()) << opened.error;
  auto& evaluations = opened.database->evaluations();
  ASSERT_TRUE(
      evaluations
          .create_many({completed(pending("old", kEpoch)), pending("new", kEpoch + hours(1))})
          .ok());
  // As a row written before migration 0006 would be.
  auto connection = sqlite::Connection::open((opened.dir->path() / "tars.db").string(), 1000);
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE(
      (*connection)->exec("UPDATE evaluations SET record_json = NULL WHERE agent_id = 'old'").ok());
  auto records = evaluations.list({}).value();
  auto json_page = evaluations.list_json({});
  ASSERT_TRUE(json_page.ok()) << json_page.status().to_string();
  ASSERT_EQ(json_page->evaluations.size(), 2u);
  EXPECT_EQ(json_page->evaluations[0], json_text(records.evaluations[0]));
  EXPECT_EQ(json_page->evaluations[1], json_text(records.evaluations[1]));
  EXPECT_EQ(records.evaluations[1].agent_id, "old");
}

// The totals of the unfiltered and agent-only lists come from trigger-kept counts.
TEST_P(RepositoryTest, KeptCountsFollowInsertsAndAgentChanges) {
  std::vector<EvaluationRecord> records;
  for (int i = 0; i < 5; ++i) records.push_back(pending(i < 3 ? "alpha" : "beta", kEpoch));
  ASSERT_TRUE(evaluations().create_many(records).ok());
  auto moved = evaluations().list({.agent_id = "alpha", .limit = 1}).value().evaluations.at(0);
  moved.agent_id = "gamma";
  ASSERT_TRUE(evaluations().update(moved).ok());
  ASSERT_TRUE(evaluations().update(moved).ok());  // same agent again: no change in counts
  EXPECT_EQ(evaluations().list({}).value().total, 5);
  EXPECT_EQ(evaluations().list({.agent_id = "alpha"}).value().total, 2);
  EXPECT_EQ(evaluations().list({.agent_id = "beta"}).value().total, 2);
  EXPECT_EQ(evaluations().list({.agent_id = "gamma"}).value().total, 1);
  EXPECT_EQ(evaluations().list({.agent_id = "nobody"}).value().total, 0);
  // With a second filter the total is counted from the rows themselves, and agrees.
  EXPECT_EQ(evaluations().list({.agent_id = "alpha", .agent_type = "ppo"}).value().total, 2);
}

TEST_P(RepositoryTest, ListRejectsBadPaging) {
  EXPECT_NE(evaluations().list({.limit = 0}).status().message().find("limit"), std::string::npos);
  EXPECT_NE(evaluations().list({.limit = 1001}).status().message().find("between 1 and 1000"),
            std::string::npos);
  EXPECT_NE(evaluations().list({.offset = -1}).status().message().find("offset"),
            std::string::npos);
  EXPECT_NE(evaluations()
                .list({.created_since = kEpoch + hours(1), .created_until = kEpoch})
                .status()
                .message()
                .find("until"),
            std::string::npos);
}

TEST_P(RepositoryTest, ListByAgentUsesTheAgentIndex) {
  std::vector<EvaluationRecord> records;
  for (int i = 0; i < 3000; ++i) {
    records.push_back(pending("agent-" + std::to_string(i % 100), kEpoch + microseconds(i)));
  }
  ASSERT_TRUE(evaluations().create_many(records).ok());
  auto plan = db().explain_list({.agent_id = "agent-7", .limit = 100});
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  EXPECT_NE(plan->find("evaluations_agent_created"), std::string::npos) << *plan;
}

TEST_P(RepositoryTest, BaselinePromotionShiftsRanks) {
  auto first = baselines().update_if_better(baseline(-200.0));
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->version, 1);
  EXPECT_EQ((*first)->rank, 1);

  auto worse = baselines().update_if_better(baseline(-250.0));
  ASSERT_TRUE(worse.ok());
  EXPECT_FALSE(worse->has_value());
  auto equal = baselines().update_if_better(baseline(-200.0));
  ASSERT_TRUE(equal.ok());
  EXPECT_FALSE(equal->has_value());

  auto better = baseline(-150.0);
  better.evaluation_id = evaluations().create(pending("agent-1", kEpoch)).value();
  ASSERT_TRUE(baselines().update_if_better(better).value().has_value());
  ASSERT_TRUE(baselines().update_if_better(baseline(-300.0), /*force=*/true).value().has_value());

  auto history = baselines().history("ppo", "CartPole-v1");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].metrics.mean_reward, -300.0);
  EXPECT_EQ((*history)[1].metrics.mean_reward, -150.0);
  EXPECT_EQ((*history)[1].evaluation_id, better.evaluation_id);
  EXPECT_EQ((*history)[2].metrics.mean_reward, -200.0);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*history)[i].rank, i + 1);
    EXPECT_EQ((*history)[i].version, 3 - i);
  }
  auto current = baselines().current("ppo", "CartPole-v1");
  ASSERT_TRUE(current.ok() && current->has_value());
  EXPECT_EQ(**current, (*history)[0]);
  EXPECT_FALSE(baselines().current("dqn", "CartPole-v1").value().has_value());
}

TEST_P(RepositoryTest, ConcurrentPromotionsKeepRanksUnique) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 10; ++i) {
        auto promoted = baselines().update_if_better(baseline(t * 10 + i));
        EXPECT_TRUE(promoted.ok()) << promoted.status().to_string();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto history = baselines().history("ppo", "CartPole-v1");
  ASSERT_TRUE(history.ok());
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->front().metrics.mean_reward, 39.0);
  for (std::size_t i = 0; i < history->size(); ++i) {
    EXPECT_EQ((*history)[i].rank, static_cast<int>(i) + 1);
    EXPECT_EQ((*history)[i].version, static_cast<int>(history->size() - i));
    if (i > 0) {
      EXPECT_LT((*history)[i].metrics.mean_reward, (*history)[i - 1].metrics.mean_reward);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, RepositoryTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tars::store
