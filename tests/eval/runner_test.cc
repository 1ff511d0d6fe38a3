// The job runner against a real SQLite database: status transitions, baselines, cancellation.
#include "tars/eval/runner.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "tars/store/sqlite/sqlite_database.h"
#include "temp_dir.h"

namespace tars::eval {
namespace {

EvaluationJob heuristic_job(int episodes = 5) {
  EvaluationJob job;
  job.policy.builtin = "heuristic";
  job.environment = "CartPole-v1";
  job.episodes = episodes;
  job.seed = 7;
  return job;
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite({.path = (dir_.path() / "tars.db").string()});
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    database_ = std::move(*opened);
    ASSERT_TRUE(database_->migrate().ok());
  }

  store::EvaluationRecord stored(std::int64_t id) {
    auto record = database_->evaluations().get(id, true);
    EXPECT_TRUE(record.ok() && record->has_value());
    return record.ok() && record->has_value() ? **record : store::EvaluationRecord{};
  }

  // Creates the pending row and runs the job on this thread.
  core::Expected<store::EvaluationRecord> run(EvaluationJob job, RunOptions options = {}) {
    auto pending = pending_record(job);
    if (!pending.ok()) return pending;
    job.evaluation_id = database_->evaluations().create(*pending).value();
    return run_job(*database_, job, options);
  }

  test::TempDir dir_;
  std::unique_ptr<store::Database> database_;
};

TEST_F(RunnerTest, ProgressIsHeardAtMostOncePerInterval) {
  std::vector<int> finished;
  auto result = run(heuristic_job(), {.listener =
                                          [&](const EvaluationEvent& event) {
                                            if (event.type == "progress") {
                                              finished.push_back(event.episodes_finished);
                                            }
                                          },
                                      .progress_interval = std::chrono::hours(1)});
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(finished, std::vector<int>{1});  // the first episode's; completion tells the rest
}

TEST_F(RunnerTest, CompletedRunIsStoredAndBecomesTheFirstBaseline) {
  std::vector<std::string> events;
  const store::BaselineRecord* promoted = nullptr;
  auto result = run(heuristic_job(), {.listener = [&](const EvaluationEvent& event) {
                      events.push_back(event.type);
                      if (event.promoted) promoted = event.promoted;
                    }});
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_NE(promoted, nullptr);
  EXPECT_EQ(events.front(), "started");
  EXPECT_EQ(std::count(events.begin(), events.end(), "progress"), 5);
  EXPECT_EQ(events.back(), "completed");

  const auto record = stored(result->id);
  EXPECT_EQ(record, *result);
  EXPECT_EQ(record.status, store::EvaluationStatus::kCompleted);
  EXPECT_EQ(record.agent_id, "heuristic/CartPole-v1");
  EXPECT_EQ(record.episodes.size(), 5u);
  EXPECT_EQ(record.episodes[2].seed, 9u);
  ASSERT_EQ(record.action_counts.size(), 1u);  // Discrete(2): one row of two counts
  EXPECT_EQ(record.action_counts[0][0] + record.action_counts[0][1], 5 * 500);
  EXPECT_EQ(record.metrics->mean_reward, 500.0);
  EXPECT_FALSE(record.regression->detected);
  EXPECT_EQ(record.baseline_comparison, "null");
  EXPECT_TRUE(record.started_at && record.completed_at && record.duration_seconds);

  auto baseline = database_->baselines().current("heuristic", "CartPole-v1").value();
  ASSERT_TRUE(baseline.has_value());
  EXPECT_EQ(baseline->evaluation_id, record.id);
  EXPECT_EQ(baseline->version, 1);
}

TEST_F(RunnerTest, WorseRunIsFlaggedAgainstTheBaselineAndNotPromoted) {
  ASSERT_TRUE(run(heuristic_job()).ok());
  // The same agent type with a success threshold it cannot reach: every episode fails.
  auto job = heuristic_job();
  job.success_threshold = 501.0;
  auto result = run(job);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  ASSERT_TRUE(result->regression->detected);
  EXPECT_EQ(result->regression->failed_checks.front().name, "failure_rate");
  EXPECT_NE(result->baseline_comparison, "null");
  EXPECT_EQ(database_->baselines().history("heuristic", "CartPole-v1").value().size(), 1u);
}

TEST_F(RunnerTest, NoPromoteKeepsTheBaselineAway) {
  auto job = heuristic_job();
  job.promote = false;
  ASSERT_TRUE(run(job).ok());
  EXPECT_FALSE(database_->baselines().current("heuristic", "CartPole-v1").value().has_value());
}

TEST_F(RunnerTest, BadJobsAreRejectedBeforeAnyRowExists) {
  auto job = heuristic_job();
  job.environment = "Acrobot-v1";
  EXPECT_NE(pending_record(job).status().message().find("no heuristic for Acrobot-v1"),
            std::string::npos);
  job = heuristic_job(0);
  EXPECT_NE(pending_record(job).status().message().find("episodes"), std::string::npos);
  job = heuristic_job();
  job.policy.checkpoint_dir = "/nonexistent";
  EXPECT_NE(pending_record(job).status().message().find("either"), std::string::npos);
}

TEST_F(RunnerTest, FailingRunIsMarkedFailedWithItsError) {
  auto job = heuristic_job(50);
  job.budget_seconds = 1e-9;
  auto result = run(job);
  ASSERT_FALSE(result.ok());
  const auto pages = database_->evaluations().list({}).value();
  ASSERT_EQ(pages.total, 1);
  const auto record = stored(pages.evaluations[0].id);
  EXPECT_EQ(record.status, store::EvaluationStatus::kFailed);
  EXPECT_EQ(record.error, result.status().message());
  EXPECT_TRUE(record.episodes.empty());
  EXPECT_FALSE(record.metrics.has_value());
  EXPECT_TRUE(record.completed_at.has_value());
}

TEST_F(RunnerTest, RunnerRunsQueuedJobsAndCancelsOnRequest) {
  InProcessJobQueue queue;
  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::int64_t, std::string> last_event;
  EvaluationRunner runner(*database_, queue, {.max_concurrent = 1},
                          [&](const EvaluationEvent& event) {
                            std::lock_guard lock(mutex);
                            last_event[event.record.id] = event.type;
                            changed.notify_all();
                          });
  auto wait_for = [&](std::int64_t id, const std::string& type) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(60), [&] { return last_event[id] == type; });
  };
  ASSERT_TRUE(runner.start().ok());
  // A long job occupies the only worker; the next waits in the queue.
  auto long_job = runner.submit(heuristic_job(100000));
  auto queued = runner.submit(heuristic_job());
  ASSERT_TRUE(long_job.ok() && queued.ok());
  EXPECT_EQ(long_job->status, store::EvaluationStatus::kPending);
  ASSERT_TRUE(wait_for(long_job->id, "progress"));

  ASSERT_TRUE(runner.cancel(queued->id).ok());
  EXPECT_EQ(stored(queued->id).status, store::EvaluationStatus::kCancelled);
  ASSERT_TRUE(runner.cancel(long_job->id).ok());
  ASSERT_TRUE(wait_for(long_job->id, "cancelled"));
  EXPECT_EQ(stored(long_job->id).status, store::EvaluationStatus::kCancelled);
  EXPECT_EQ(runner.cancel(queued->id).code(), core::ErrorCode::kFailedPrecondition);

  auto last = runner.submit(heuristic_job());
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(wait_for(last->id, "completed"));
  EXPECT_EQ(stored(last->id).status, store::EvaluationStatus::kCompleted);
}

TEST_F(RunnerTest, StartMarksJobsLostWithAnEarlierProcessAsFailed) {
  auto pending = pending_record(heuristic_job()).value();
  const auto lost_pending = database_->evaluations().create(pending).value();
  pending.status = store::EvaluationStatus::kRunning;
  const auto lost_running = database_->evaluations().create(pending).value();
  InProcessJobQueue queue;
  EvaluationRunner runner(*database_, queue, {});
  EXPECT_EQ(runner.start().value(), 2);
  for (auto id : {lost_pending, lost_running}) {
    const auto record = stored(id);
    EXPECT_EQ(record.status, store::EvaluationStatus::kFailed);
    EXPECT_NE(record.error.find("interrupted"), std::string::npos);
  }
}

TEST(JobJson, RoundTripsEveryField) {
  EvaluationJob job = heuristic_job(12);
  job.evaluation_id = 99;
  job.agent_id = "a";
  job.kwargs = {{"continuous", true}, {"gravity", -9.5}};
  job.mode = store::PolicyMode::kStochastic;
  job.budget_seconds = 2.5;
  job.success_threshold = 100.0;
  job.promote = false;
  auto back = job_from_json(to_json(job));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(to_json(*back), to_json(job));
  EXPECT_EQ(back->kwargs, job.kwargs);
  EXPECT_NE(job_from_json("{}").status().message().find("evaluation job JSON"), std::string::npos);
}

}  // namespace
}  // namespace tars::eval
