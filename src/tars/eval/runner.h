// The job runner: evaluation jobs go from submitted (a pending row) through running to
// completed, failed or cancelled, every transition persisted; a completed, regression-free
// evaluation that beats the baseline is promoted to be the new baseline.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tars/core/status.h"
#include "tars/eval/job.h"
#include "tars/eval/job_queue.h"
#include "tars/eval/regression.h"
#include "tars/store/repository.h"

namespace tars::eval {

// What listeners (the WebSocket's evaluation.updates channel) hear about a job.
struct EvaluationEvent {
  std::string type;  // "queued", "started", "progress", "completed", "failed", "cancelled"
  const store::EvaluationRecord& record;
  int episodes_finished = 0;
  const store::BaselineRecord* promoted = nullptr;  // the new baseline, when one was promoted
};
using EvaluationListener = std::function<void(const EvaluationEvent&)>;

struct RunOptions {
  RegressionThresholds thresholds = {};
  const std::atomic<bool>* cancel = nullptr;  // set to stop the run; it ends cancelled
  EvaluationListener listener = {};           // optional
  // "progress" is heard at most this often (the first episode's always): dashboards need a
  // few a second, and every one is broadcast to each subscriber.
  std::chrono::milliseconds progress_interval{0};
};

// Builds the job's policy and the pending row for it (agent type, checkpoint hash,
// hyperparameters from the policy); errors name the job's bad field.
core::Expected<store::EvaluationRecord> pending_record(const EvaluationJob& job);

// Runs a job whose pending row exists (job.evaluation_id): marks it running, evaluates, judges it
// against the current baseline, stores the result and promotes it when it is better. Any failure
// marks the row failed with the error (cancelled when `cancel` was set) and is returned as an
// error too; the row is never left running by a failure this process survives.
core::Expected<store::EvaluationRecord> run_job(store::Database& database, const EvaluationJob& job,
                                                const RunOptions& options);

struct RunnerOptions {
  int max_concurrent = 1;  // EVAL_MAX_CONCURRENT: worker threads
  RegressionThresholds thresholds = {};
  std::chrono::milliseconds progress_interval{250};  // RunOptions::progress_interval
};

// Worker threads consuming a JobQueue.
class EvaluationRunner {
 public:
  EvaluationRunner(store::Database& database, JobQueue& queue, RunnerOptions options,
                   EvaluationListener listener = {});
  // Stops the workers: running jobs are cancelled, queued ones stay pending.
  ~EvaluationRunner();
  EvaluationRunner(const EvaluationRunner&) = delete;
  EvaluationRunner& operator=(const EvaluationRunner&) = delete;

  // Marks evaluations left pending or running by an earlier process as failed (their jobs were
  // lost with it), then starts the workers. Returns how many were marked.
  core::Expected<int> start();
  // Validates the job, stores its pending row and queues it; returns the row.
  core::Expected<store::EvaluationRecord> submit(EvaluationJob job);
  // A queued job is marked cancelled at once; a running one stops at its next step.
  core::Status cancel(std::int64_t evaluation_id);
  void stop();

 private:
  void work();
  void notify(const EvaluationEvent& event) const;

  store::Database& database_;
  JobQueue& queue_;
  RunnerOptions options_;
  EvaluationListener listener_;
  std::mutex mutex_;
  std::map<std::int64_t, std::shared_ptr<std::atomic<bool>>> running_;  // id -> cancel flag
  std::vector<std::thread> workers_;
};

}  // namespace tars::eval
