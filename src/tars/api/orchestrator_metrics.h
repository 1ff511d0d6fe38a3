// The orchestrator's Prometheus metrics, updated from its steps and episodes:
// tars_orchestration_steps_total, tars_global_reward, tars_agent_reward{agent},
// tars_multiagent_conflicts_total{type}, tars_nash_convergence_time_seconds,
// tars_agent_memory_bytes{agent}, tars_dqn_epsilon, tars_a2c_entropy, tars_ppo_kl_divergence,
// tars_ddpg_noise_sigma.
#pragma once

#include <array>
#include <memory>

#include "tars/marl/orchestrator.h"
#include "tars/obs/registry.h"

namespace tars::api {

class OrchestratorMetrics {
 public:
  static core::Expected<std::unique_ptr<OrchestratorMetrics>> create(obs::Registry& registry);

  void on_step(const marl::StepReport& report);
  // Per-agent gauges (memory, exploration, entropy, KL, noise) from the agents' snapshots.
  void on_agents(const std::array<marl::AgentSnapshot, env::kOpsNumAgents>& agents);

 private:
  OrchestratorMetrics() = default;

  obs::Counter* steps_ = nullptr;
  obs::Gauge* global_reward_ = nullptr;
  std::array<obs::Gauge*, env::kOpsNumAgents> agent_rewards_ = {};
  std::array<obs::Counter*, marl::kConflictTypes> conflicts_ = {};
  obs::Histogram* nash_seconds_ = nullptr;
  std::array<obs::Gauge*, env::kOpsNumAgents> memory_ = {};
  obs::Gauge* dqn_epsilon_ = nullptr;
  obs::Gauge* a2c_entropy_ = nullptr;
  obs::Gauge* ppo_kl_ = nullptr;
  obs::Gauge* ddpg_noise_sigma_ = nullptr;
};

}  // namespace tars::api
