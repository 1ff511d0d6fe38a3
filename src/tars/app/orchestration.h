// The orchestrator inside `tars serve`: creates it, steps it on its own thread in simulation
// mode, persists each episode's agent statistics, publishes `orchestration.step` and
// `agent.status` on the live feed (throttled for people) and keeps the Prometheus metrics.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include "tars/api/orchestrator_metrics.h"
#include "tars/app/team_evaluation.h"
#include "tars/http/live_hub.h"
#include "tars/marl/orchestrator.h"
#include "tars/marl/orchestrator_runner.h"
#include "tars/obs/registry.h"
#include "tars/store/repository.h"

namespace tars::app {

enum class OrchestrationMode {
  kOff,         // no orchestrator
  kSimulation,  // it steps ops_sim on its own thread
  kExternal,    // a real system drives it over POST /api/v1/orchestration/step
};
core::Expected<OrchestrationMode> parse_orchestration_mode(std::string_view name);

struct OrchestrationOptions {
  OrchestrationMode mode = OrchestrationMode::kOff;
  marl::OrchestratorOptions orchestrator = {};
  double steps_per_second = 10.0;                          // simulation mode; <= 0: full speed
  std::chrono::milliseconds step_publish_interval{100};    // orchestration.step at most 10/s
  std::chrono::milliseconds status_publish_interval{500};  // agent.status at most 2/s per agent
  TeamEvaluationOptions team_evaluation = {};              // simulation mode only
};

class Orchestration {
 public:
  static core::Expected<std::unique_ptr<Orchestration>> create(const OrchestrationOptions& options,
                                                               store::Database& database,
                                                               http::LiveHub& hub,
                                                               obs::Registry& registry,
                                                               eval::EvaluationListener listener);
  ~Orchestration();

  marl::Orchestrator& orchestrator() { return *orchestrator_; }
  bool external() const { return options_.mode == OrchestrationMode::kExternal; }
  // Simulation mode: starts stepping. Idempotent.
  void start();
  void stop();

 private:
  Orchestration(const OrchestrationOptions& options, store::Database& database, http::LiveHub& hub,
                std::unique_ptr<marl::Orchestrator> orchestrator,
                std::unique_ptr<api::OrchestratorMetrics> metrics,
                eval::EvaluationListener listener);
  void on_step(const marl::StepReport& report);
  void on_episode(const marl::EpisodeSummary& summary);
  void publish_agents(const std::array<marl::AgentSnapshot, env::kOpsNumAgents>& agents);
  // Runs a due team evaluation; on the stepping thread, outside the orchestrator's lock.
  void evaluate_team_if_due();

  OrchestrationOptions options_;
  store::Database& database_;
  http::LiveHub& hub_;
  std::unique_ptr<marl::Orchestrator> orchestrator_;
  std::unique_ptr<api::OrchestratorMetrics> metrics_;
  eval::EvaluationListener listener_;  // hears the team evaluations
  std::unique_ptr<marl::OrchestratorRunner> runner_;
  bool team_evaluation_due_ = false;  // set at an episode's end (under the lock), same thread
  std::chrono::steady_clock::time_point last_step_published_{};
  std::chrono::steady_clock::time_point last_status_published_{};
};

}  // namespace tars::app
