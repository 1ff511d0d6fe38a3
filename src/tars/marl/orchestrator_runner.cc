#include "tars/marl/orchestrator_runner.h"

#include <algorithm>
#include <chrono>

namespace tars::marl {

OrchestratorRunner::OrchestratorRunner(Orchestrator& orchestrator, double steps_per_second,
                                       StepObserver on_step, ErrorObserver on_error)
    : orchestrator_(orchestrator),
      steps_per_second_(steps_per_second),
      on_step_(std::move(on_step)),
      on_error_(std::move(on_error)) {}

OrchestratorRunner::~OrchestratorRunner() { stop(); }

void OrchestratorRunner::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void OrchestratorRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OrchestratorRunner::run() {
  using Clock = std::chrono::steady_clock;
  const auto period = steps_per_second_ > 0
                          ? std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(1.0 / steps_per_second_))
                          : Clock::duration::zero();
  auto next = Clock::now();
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (period > Clock::duration::zero()) {
        wake_.wait_until(lock, next, [this] { return stopping_; });
      }
      if (stopping_) return;
    }
    auto report = orchestrator_.step();
    if (!report.ok()) {
      // A failed step is reported and the runner stops: stepping on would repeat it.
      on_error_(report.status());
      return;
    }
    on_step_(*report);
    // After a stall (e.g. a slow update), do not burst to catch up.
    next = std::max(next + period, Clock::now() - period);
  }
}

}  // namespace tars::marl
