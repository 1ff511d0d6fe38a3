#include "tars/eval/job_queue.h"

namespace tars::eval {

core::Status InProcessJobQueue::push(EvaluationJob job) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return core::failed_precondition("the evaluation queue is shut down");
    jobs_.push_back(std::move(job));
  }
  ready_.notify_one();
  return {};
}

std::optional<EvaluationJob> InProcessJobQueue::pop() {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [&] { return closed_ || !jobs_.empty(); });
  if (closed_) return std::nullopt;  // jobs still queued stay pending in the database
  EvaluationJob job = std::move(jobs_.front());
  jobs_.pop_front();
  return job;
}

void InProcessJobQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

std::size_t InProcessJobQueue::size() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

}  // namespace tars::eval
