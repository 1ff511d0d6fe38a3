#include "tars/api/orchestrator_metrics.h"

namespace tars::api {

namespace {

constexpr std::size_t kAgents = env::kOpsNumAgents;

// The single series of an unlabelled family.
template <typename Series>
Series* only_series(core::Expected<obs::Family<Series>*> family) {
  if (!family.ok()) return nullptr;
  auto series = (*family)->with({});
  return series.ok() ? *series : nullptr;
}

void set_metric(obs::Gauge* gauge, const marl::AgentSnapshot& agent, const char* name) {
  if (auto it = agent.metrics.find(name); it != agent.metrics.end()) gauge->set(it->second);
}

}  // namespace

core::Expected<std::unique_ptr<OrchestratorMetrics>> OrchestratorMetrics::create(
    obs::Registry& registry) {
  std::unique_ptr<OrchestratorMetrics> m(new OrchestratorMetrics());
  auto agent_rewards =
      registry.gauge({"tars_agent_reward", "Reward of each agent in the last step", {"agent"}});
  auto conflicts =
      registry.counter({"tars_multiagent_conflicts_total", "Executed conflicts by rule", {"type"}});
  auto memory =
      registry.gauge({"tars_agent_memory_bytes",
                      "Bytes held by each agent's networks, gradients, optimizer state and buffers",
                      {"agent"}});
  for (auto* family : {&agent_rewards, &memory}) {
    if (!family->ok()) return family->status();
  }
  if (!conflicts.ok()) return conflicts.status();
  for (std::size_t i = 0; i < kAgents; ++i) {
    m->agent_rewards_[i] = (*agent_rewards)->with({env::kOpsAgents[i].name}).value();
    m->memory_[i] = (*memory)->with({env::kOpsAgents[i].name}).value();
  }
  for (int k = 0; k < marl::kConflictTypes; ++k) {
    m->conflicts_[static_cast<std::size_t>(k)] =
        (*conflicts)->with({marl::conflict_type_name(static_cast<marl::ConflictType>(k))}).value();
  }
  m->steps_ = only_series(
      registry.counter({"tars_orchestration_steps_total", "Orchestrator steps taken", {}}));
  m->global_reward_ =
      only_series(registry.gauge({"tars_global_reward", "Team's global reward, last step", {}}));
  m->nash_seconds_ = only_series(registry.histogram(
      {"tars_nash_convergence_time_seconds", "Time to build and solve each step's game", {}},
      {1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1}));
  m->dqn_epsilon_ =
      only_series(registry.gauge({"tars_dqn_epsilon", "Policy agent's exploration rate", {}}));
  m->a2c_entropy_ =
      only_series(registry.gauge({"tars_a2c_entropy", "Consensus agent's policy entropy", {}}));
  m->ppo_kl_ = only_series(registry.gauge(
      {"tars_ppo_kl_divergence", "Ethical agent's approximate KL of its last update", {}}));
  m->ddpg_noise_sigma_ = only_series(
      registry.gauge({"tars_ddpg_noise_sigma", "Resource agent's exploration noise sigma", {}}));
  if (!m->steps_ || !m->global_reward_ || !m->nash_seconds_ || !m->dqn_epsilon_ ||
      !m->a2c_entropy_ || !m->ppo_kl_ || !m->ddpg_noise_sigma_) {
    return core::invalid_argument("orchestrator metrics: a family could not be registered");
  }
  return m;
}

void OrchestratorMetrics::on_step(const marl::StepReport& report) {
  steps_->inc();
  global_reward_->set(report.global_reward);
  for (std::size_t i = 0; i < kAgents; ++i) agent_rewards_[i]->set(report.rewards[i]);
  const marl::Conflicts& executed = report.coordination.executed;
  for (int k = 0; k < executed.count; ++k) {
    conflicts_[static_cast<std::size_t>(executed.items[static_cast<std::size_t>(k)].type)]->inc();
  }
  if (!report.coordination.nash.method.empty()) {
    nash_seconds_->observe(report.coordination.nash.seconds);
  }
}

void OrchestratorMetrics::on_agents(
    const std::array<marl::AgentSnapshot, env::kOpsNumAgents>& agents) {
  for (std::size_t i = 0; i < kAgents; ++i) {
    memory_[i]->set(static_cast<double>(agents[i].memory_bytes));
  }
  using env::OpsAgent;
  set_metric(dqn_epsilon_, agents[static_cast<std::size_t>(OpsAgent::kPolicy)], "epsilon");
  set_metric(a2c_entropy_, agents[static_cast<std::size_t>(OpsAgent::kConsensus)], "entropy");
  set_metric(ppo_kl_, agents[static_cast<std::size_t>(OpsAgent::kEthical)], "approx_kl");
  set_metric(ddpg_noise_sigma_, agents[static_cast<std::size_t>(OpsAgent::kResource)],
             "noise_sigma");
}

}  // namespace tars::api
