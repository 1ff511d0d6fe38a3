#include "tars/app/orchestration.h"

#include <fmt/format.h>

#include "tars/api/orchestration_json.h"
#include "tars/core/log.h"
#include "tars/store/agent_history.h"

namespace tars::app {

namespace {
constexpr std::size_t kAgents = env::kOpsNumAgents;
}  // namespace

core::Expected<OrchestrationMode> parse_orchestration_mode(std::string_view name) {
  if (name == "off") return OrchestrationMode::kOff;
  if (name == "sim") return OrchestrationMode::kSimulation;
  if (name == "external") return OrchestrationMode::kExternal;
  return core::invalid_argument(
      fmt::format("--orchestration: unknown mode '{}' (sim, external, off)", name));
}

core::Expected<std::unique_ptr<Orchestration>> Orchestration::create(
    const OrchestrationOptions& options, store::Database& database, http::LiveHub& hub,
    obs::Registry& registry, eval::EvaluationListener listener) {
  auto orchestrator = marl::Orchestrator::create(options.orchestrator);
  if (!orchestrator.ok()) return orchestrator.status();
  auto metrics = api::OrchestratorMetrics::create(registry);
  if (!metrics.ok()) return metrics.status();
  return std::unique_ptr<Orchestration>(new Orchestration(
      options, database, hub, std::move(*orchestrator), std::move(*metrics), std::move(listener)));
}

Orchestration::Orchestration(const OrchestrationOptions& options, store::Database& database,
                             http::LiveHub& hub, std::unique_ptr<marl::Orchestrator> orchestrator,
                             std::unique_ptr<api::OrchestratorMetrics> metrics,
                             eval::EvaluationListener listener)
    : options_(options),
      database_(database),
      hub_(hub),
      orchestrator_(std::move(orchestrator)),
      metrics_(std::move(metrics)),
      listener_(std::move(listener)) {
  orchestrator_->on_episode([this](const marl::EpisodeSummary& summary) { on_episode(summary); });
  runner_ = std::make_unique<marl::OrchestratorRunner>(
      *orchestrator_, options_.steps_per_second,
      [this](const marl::StepReport& report) { on_step(report); },
      [](const core::Status& status) {
        core::Logger("orchestrator").error("stopped: {}", status.message());
      });
}

Orchestration::~Orchestration() { stop(); }

void Orchestration::start() {
  if (options_.mode == OrchestrationMode::kSimulation) runner_->start();
}

void Orchestration::stop() { runner_->stop(); }

void Orchestration::on_step(const marl::StepReport& report) {
  metrics_->on_step(report);
  evaluate_team_if_due();
  const auto now = std::chrono::steady_clock::now();
  if (now - last_step_published_ >= options_.step_publish_interval) {
    last_step_published_ = now;
    hub_.publish("orchestration.step", api::step_json(report).dump());
  }
  if (now - last_status_published_ >= options_.status_publish_interval) {
    last_status_published_ = now;
    std::array<marl::AgentSnapshot, kAgents> agents;
    for (std::size_t i = 0; i < kAgents; ++i) {
      agents[i] = orchestrator_->agent(static_cast<env::OpsAgent>(i));
    }
    publish_agents(agents);
  }
}

void Orchestration::publish_agents(
    const std::array<marl::AgentSnapshot, env::kOpsNumAgents>& agents) {
  metrics_->on_agents(agents);
  for (const marl::AgentSnapshot& agent : agents) {
    hub_.publish("agent.status", api::agent_json(agent).dump());
  }
}

// Runs on the stepping thread under the orchestrator's lock: no orchestrator calls here.
void Orchestration::evaluate_team_if_due() {
  if (!team_evaluation_due_) return;
  team_evaluation_due_ = false;
  auto record = evaluate_team(*orchestrator_, database_, options_.team_evaluation, listener_);
  if (!record.ok()) {
    core::Logger("orchestrator").warn("team evaluation failed: {}", record.status().message());
  }
}

void Orchestration::on_episode(const marl::EpisodeSummary& summary) {
  const int every = options_.team_evaluation.every_episodes;
  if (options_.mode == OrchestrationMode::kSimulation && every > 0 &&
      (summary.episode + 1) % every == 0) {
    team_evaluation_due_ = true;  // evaluate() takes the lock this callback runs under
  }
  std::vector<store::AgentEpisodeRecord> records;
  const core::Timestamp now = core::now();
  for (const marl::AgentSnapshot& agent : summary.agents) {
    records.push_back({.id = 0,
                       .agent_id = std::string(env::ops_agent_spec(agent.agent).name),
                       .episode = agent.episode,
                       .steps = agent.steps,
                       .reward = agent.last_episode_reward,
                       .reward_mean_10 = agent.reward_mean_10,
                       .reward_mean_100 = agent.reward_mean_100,
                       .metrics = nlohmann::json(agent.metrics).dump(),
                       .ts = now});
  }
  if (auto stored = database_.agent_history().append_batch(records); !stored.ok()) {
    core::Logger("orchestrator")
        .error("episode {}: agent history not stored: {}", summary.episode,
               stored.status().message());
  }
  metrics_->on_agents(summary.agents);
}

}  // namespace tars::app
