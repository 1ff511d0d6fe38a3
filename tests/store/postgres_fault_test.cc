// The PostgreSQL server goes away in the middle of a run and comes back.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "store/store_test_support.h"
#include "tars/store/postgres/postgres_database.h"

namespace tars::store {
namespace {

// Restarts the shared server even when an assertion fails half-way.
struct ServerRestarter {
  ~ServerRestarter() { test::shared_postgres().start(); }
};

TEST(PostgresFaults, ServerLossGivesClearErrorsAndNoHalfWrittenEvaluation) {
  auto opened = test::open_test_database("postgresql");
  ASSERT_TRUE(opened.error.empty()) << opened.error;
  auto& evaluations = opened.database->evaluations();
  EvaluationRecord record;
  record.agent_id = "agent-1";
  record.agent_type = "ppo";
  record.environment = "CartPole-v1";
  record.num_episodes = 2;
  record.created_at = core::now();
  auto id = evaluations.create(record);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  record.id = *id;

  auto done = record;
  done.status = EvaluationStatus::kCompleted;
  done.metrics = EvaluationMetrics{.mean_reward = 10.0};
  done.episodes = {{0, 0, 10.0, 10, false}, {1, 1, 10.0, 10, false}};
  {
    ServerRestarter restart;
    ASSERT_TRUE(test::shared_postgres().stop());
    const auto failed = evaluations.update(done);
    EXPECT_EQ(failed.code(), core::ErrorCode::kIo);
    EXPECT_NE(failed.message().find("database unavailable"), std::string::npos) << failed.message();
    EXPECT_FALSE(opened.database->ping().ok());
  }
  // Back: the evaluation is exactly as before the failed write, and writing works again.
  auto stored = evaluations.get(*id, true);
  ASSERT_TRUE(stored.ok()) << stored.status().to_string();
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ(**stored, record);
  ASSERT_TRUE(evaluations.update(done).ok());
  EXPECT_EQ(evaluations.get(*id, true).value()->episodes.size(), 2u);
}

TEST(PostgresFaults, UnreachableServerIsReportedOnOpen) {
  const int port = test::shared_postgres().port();
  auto opened = open_postgres(
      {.url = "postgresql://tars@127.0.0.1:" + std::to_string(port) + "/no_such_database",
       .reconnect_attempts = 0});
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("no_such_database"), std::string::npos)
      << opened.status().message();
}

TEST(PostgresFaults, StatementTimeoutCancelsAQueryStuckOnALock) {
  const auto url = test::fresh_postgres_url();
  ASSERT_FALSE(url.empty());
  auto opened = open_postgres({.url = url, .query_timeout_ms = 200});
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  auto& database = **opened;
  ASSERT_TRUE(database.migrate().ok());
  EvaluationRecord record;
  record.agent_id = "agent-1";
  record.created_at = core::now();
  record.id = database.evaluations().create(record).value();

  // Another session holds the row lock that update() needs.
  pqxx::connection other(url);
  pqxx::work holder(other);
  holder.exec("SELECT id FROM evaluations WHERE id = " + std::to_string(record.id) + " FOR UPDATE");
  const auto status = database.evaluations().update(record);
  EXPECT_EQ(status.code(), core::ErrorCode::kIo);
  EXPECT_NE(status.message().find("statement timeout"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("57014"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace tars::store
