// Steps an orchestrator on its own thread in simulation mode, at full speed or throttled to a
// number of steps per second, until stopped.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "tars/marl/orchestrator.h"

namespace tars::marl {

class OrchestratorRunner {
 public:
  using StepObserver = std::function<void(const StepReport&)>;
  using ErrorObserver = std::function<void(const core::Status&)>;

  // `steps_per_second` <= 0: full speed. The observers run on the runner's thread.
  OrchestratorRunner(Orchestrator& orchestrator, double steps_per_second, StepObserver on_step,
                     ErrorObserver on_error);
  ~OrchestratorRunner();
  OrchestratorRunner(const OrchestratorRunner&) = delete;
  OrchestratorRunner& operator=(const OrchestratorRunner&) = delete;

  void start();
  // Finishes the current step and joins the thread; idempotent.
  void stop();

 private:
  void run();

  Orchestrator& orchestrator_;
  double steps_per_second_;
  StepObserver on_step_;
  ErrorObserver on_error_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tars::marl
