#include "tars/eval/runner.h"

#include <fmt/format.h>

#include <optional>

#include "tars/core/log.h"
#include "tars/eval/evaluator.h"

namespace tars::eval {
namespace {

const core::Logger& logger() {
  static const core::Logger instance("eval");
  return instance;
}

double seconds_between(core::Timestamp from, core::Timestamp to) {
  return std::chrono::duration<double>(to - from).count();
}

// Evaluates and judges the job, filling `record` with the completed result.
core::Status evaluate_into(store::Database& database, const EvaluationJob& job,
                           const RunOptions& options, store::EvaluationRecord& record) {
  auto resolved = resolve_policy(job);
  if (!resolved.ok()) return resolved.status();
  EvaluatorOptions evaluator{.episodes = job.episodes,
                             .seed = job.seed,
                             .mode = job.mode,
                             .budget = std::chrono::duration<double>(job.budget_seconds),
                             .success_threshold = job.success_threshold,
                             .cancel = options.cancel};
  std::optional<std::chrono::steady_clock::time_point> last_progress;
  if (options.listener) {
    evaluator.on_episode = [&](const store::EpisodeRecord&, int finished) {
      const auto now = std::chrono::steady_clock::now();
      if (last_progress && now - *last_progress < options.progress_interval) return;
      last_progress = now;
      options.listener({"progress", record, finished});
    };
  }
  auto outcome = evaluate(*resolved->policy, resolved->environment, resolved->kwargs, evaluator);
  if (!outcome.ok()) return outcome.status();
  auto baseline = database.baselines().current(record.agent_type, record.environment);
  if (!baseline.ok()) return baseline.status();
  const auto baseline_metrics =
      baseline->has_value() ? std::optional((*baseline)->metrics) : std::nullopt;
  record.metrics = outcome->metrics;
  record.regression = detect_regression(outcome->metrics, baseline_metrics, options.thresholds);
  record.baseline_comparison = baseline_comparison_json(outcome->metrics, baseline_metrics);
  record.episodes = std::move(outcome->episodes);
  record.action_counts = outcome->actions.counts();
  record.status = store::EvaluationStatus::kCompleted;
  return {};
}

}  // namespace

core::Expected<store::EvaluationRecord> pending_record(const EvaluationJob& job) {
  auto resolved = resolve_policy(job);
  if (!resolved.ok()) return resolved.status();
  const Policy& policy = *resolved->policy;
  store::EvaluationRecord record;
  record.agent_type = policy.agent_type();
  record.environment = resolved->environment;
  record.agent_id = job.agent_id.empty()
                        ? fmt::format("{}/{}", record.agent_type, record.environment)
                        : job.agent_id;
  record.num_episodes = job.episodes;
  record.seed = job.seed;
  record.policy_mode = job.mode;
  record.checkpoint_hash = policy.checkpoint_hash();
  record.hyperparameters = policy.hyperparameters_json();
  record.created_at = core::now();
  return record;
}

core::Expected<store::EvaluationRecord> run_job(store::Database& database, const EvaluationJob& job,
                                                const RunOptions& options) {
  auto stored = database.evaluations().get(job.evaluation_id, false);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return core::not_found(fmt::format("no evaluation {}", job.evaluation_id));
  }
  store::EvaluationRecord record = std::move(**stored);
  if (store::is_terminal(record.status)) {
    return core::failed_precondition(
        fmt::format("evaluation {} is already {}", record.id, store::status_name(record.status)));
  }
  record.status = store::EvaluationStatus::kRunning;
  record.started_at = core::now();
  if (auto status = database.evaluations().update(record); !status.ok()) return status;
  if (options.listener) options.listener({"started", record});

  core::Status outcome;
  try {
    outcome = evaluate_into(database, job, options, record);
  } catch (const std::exception& error) {  // a bug or resource exhaustion: never lose the job
    outcome = core::Status(core::ErrorCode::kInternal, fmt::format("crashed: {}", error.what()));
  }
  record.completed_at = core::now();
  record.duration_seconds = seconds_between(*record.started_at, *record.completed_at);
  if (!outcome.ok()) {
    const bool cancelled = options.cancel != nullptr && options.cancel->load();
    record.status =
        cancelled ? store::EvaluationStatus::kCancelled : store::EvaluationStatus::kFailed;
    record.error = outcome.message();
    record.episodes.clear();
  }
  std::optional<store::BaselineRecord> promoted;
  // Before the row says completed, so whoever sees it completed also sees the promotion.
  if (outcome.ok() && job.promote && !record.regression->detected) {
    auto better = database.baselines().update_if_better({.agent_type = record.agent_type,
                                                         .environment = record.environment,
                                                         .metrics = *record.metrics,
                                                         .hyperparameters = record.hyperparameters,
                                                         .evaluation_id = record.id});
    if (!better.ok()) {
      logger().warn("evaluation {} completed but its baseline promotion failed: {}", record.id,
                    better.status().message());
    } else {
      promoted = std::move(*better);
    }
  }
  if (auto status = database.evaluations().update(record); !status.ok()) {
    return core::Status(status.code(), fmt::format("evaluation {} could not be stored: {}",
                                                   record.id, status.message()));
  }
  if (!outcome.ok()) {
    if (options.listener) options.listener({store::status_name(record.status), record});
    return outcome;
  }

  if (options.listener) {
    options.listener({"completed", record, record.num_episodes, promoted ? &*promoted : nullptr});
  }
  return record;
}

EvaluationRunner::EvaluationRunner(store::Database& database, JobQueue& queue,
                                   RunnerOptions options, EvaluationListener listener)
    : database_(database),
      queue_(queue),
      options_(std::move(options)),
      listener_(std::move(listener)) {}

EvaluationRunner::~EvaluationRunner() { stop(); }

core::Expected<int> EvaluationRunner::start() {
  int marked = 0;
  for (auto status : {store::EvaluationStatus::kPending, store::EvaluationStatus::kRunning}) {
    for (;;) {
      auto page = database_.evaluations().list({.status = status, .limit = store::kMaxListLimit});
      if (!page.ok()) return page.status();
      if (page->evaluations.empty()) break;
      for (auto& record : page->evaluations) {
        record.status = store::EvaluationStatus::kFailed;
        record.error = "interrupted: the process running it stopped before it finished";
        record.completed_at = core::now();
        if (auto updated = database_.evaluations().update(record); !updated.ok()) return updated;
        ++marked;
      }
    }
  }
  for (int i = 0; i < std::max(1, options_.max_concurrent); ++i) {
    workers_.emplace_back([this] { work(); });
  }
  return marked;
}

core::Expected<store::EvaluationRecord> EvaluationRunner::submit(EvaluationJob job) {
  auto record = pending_record(job);
  if (!record.ok()) return record;
  auto id = database_.evaluations().create(*record);
  if (!id.ok()) return id.status();
  record->id = job.evaluation_id = *id;
  notify({"queued", *record});  // before a worker can take it and announce "started"
  if (auto status = queue_.push(std::move(job)); !status.ok()) {
    record->status = store::EvaluationStatus::kFailed;
    record->error = status.message();
    (void)database_.evaluations().update(*record);
    notify({"failed", *record});
    return status;
  }
  return record;
}

core::Status EvaluationRunner::cancel(std::int64_t evaluation_id) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = running_.find(evaluation_id); it != running_.end()) {
      it->second->store(true);
      return {};
    }
  }
  auto stored = database_.evaluations().get(evaluation_id, false);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return core::not_found(fmt::format("no evaluation {}", evaluation_id));
  store::EvaluationRecord record = std::move(**stored);
  if (store::is_terminal(record.status)) {
    return core::failed_precondition(fmt::format("evaluation {} is already {}", evaluation_id,
                                                 store::status_name(record.status)));
  }
  record.status = store::EvaluationStatus::kCancelled;
  record.error = "cancelled before it started";
  record.completed_at = core::now();
  if (auto status = database_.evaluations().update(record); !status.ok()) return status;
  notify({"cancelled", record});
  return {};
}

void EvaluationRunner::stop() {
  queue_.close();
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, flag] : running_) flag->store(true);
  }
  for (auto& worker : workers_) worker.join();
  workers_.clear();
}

void EvaluationRunner::work() {
  while (auto job = queue_.pop()) {
    auto flag = std::make_shared<std::atomic<bool>>(false);
    {
      std::lock_guard lock(mutex_);
      running_[job->evaluation_id] = flag;
    }
    auto result = run_job(database_, *job,
                          {.thresholds = options_.thresholds,
                           .cancel = flag.get(),
                           .listener = [this](const EvaluationEvent& event) { notify(event); },
                           .progress_interval = options_.progress_interval});
    if (!result.ok() && result.status().code() != core::ErrorCode::kFailedPrecondition) {
      logger().warn("evaluation {}: {}", job->evaluation_id, result.status().message());
    }
    std::lock_guard lock(mutex_);
    running_.erase(job->evaluation_id);
  }
}

void EvaluationRunner::notify(const EvaluationEvent& event) const {
  if (listener_) listener_(event);
}

}  // namespace tars::eval
