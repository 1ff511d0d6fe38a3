// Where submitted evaluation jobs wait for a worker. In-process now; a Redis Streams queue for
// distributed workers implements the same interface later.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

#include "tars/core/status.h"
#include "tars/eval/job.h"

namespace tars::eval {

class JobQueue {
 public:
  virtual ~JobQueue() = default;
  // Fails once the queue is closed.
  virtual core::Status push(EvaluationJob job) = 0;
  // Blocks until a job is available; nullopt once the queue is closed and drained of waiters.
  virtual std::optional<EvaluationJob> pop() = 0;
  // Wakes every waiting pop(); later pushes fail.
  virtual void close() = 0;
  virtual std::size_t size() const = 0;
};

// First in, first out, in memory.
class InProcessJobQueue final : public JobQueue {
 public:
  core::Status push(EvaluationJob job) override;
  std::optional<EvaluationJob> pop() override;
  void close() override;
  std::size_t size() const override;

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<EvaluationJob> jobs_;
  bool closed_ = false;
};

}  // namespace tars::eval
