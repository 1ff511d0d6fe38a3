#include "tars/api/orchestration_json.h"

#include "tars/core/time.h"

namespace tars::api {

namespace {

constexpr std::size_t kAgents = env::kOpsNumAgents;

std::string agent_name(std::size_t i) { return std::string(env::kOpsAgents[i].name); }

nlohmann::json players() {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < kAgents; ++i) out.push_back(agent_name(i));
  return out;
}

nlohmann::json involved(const std::array<bool, kAgents>& agents) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < kAgents; ++i) {
    if (agents[i]) out.push_back(agent_name(i));
  }
  return out;
}

// A candidate's action as the API shows it: an index, or the resource agent's fraction.
nlohmann::json action_value(std::size_t agent, double action) {
  if (env::kOpsAgents[agent].num_actions > 0) return static_cast<std::int64_t>(action);
  return action;
}

const char* type_name(rl::HyperparameterType type) {
  switch (type) {
    case rl::HyperparameterType::kNumber:
      return "number";
    case rl::HyperparameterType::kInteger:
      return "integer";
    case rl::HyperparameterType::kBool:
      return "bool";
    case rl::HyperparameterType::kChoice:
      return "choice";
    case rl::HyperparameterType::kSchedule:
      return "schedule";
  }
  return "unknown";
}

}  // namespace

nlohmann::json hyperparameters_json(const rl::Hyperparameters& hyperparameters) {
  nlohmann::json out = nlohmann::json::array();
  for (const rl::HyperparameterSpec& spec : hyperparameters.schema()) {
    nlohmann::json entry = {{"name", spec.name},
                            {"value", hyperparameters.text(spec.name)},
                            {"class", rl::reload_class_name(spec.reload)},
                            {"type", type_name(spec.type)},
                            {"description", spec.description}};
    if (spec.type == rl::HyperparameterType::kChoice) {
      entry["choices"] = spec.choices;
    } else if (spec.type != rl::HyperparameterType::kBool) {
      entry["min"] = spec.min;
      entry["max"] = spec.max;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

nlohmann::json agent_json(const marl::AgentSnapshot& snapshot) {
  const env::OpsAgentSpec& spec = env::ops_agent_spec(snapshot.agent);
  return {{"id", spec.name},
          {"role", spec.role},
          {"algorithm", spec.algorithm},
          {"episode", snapshot.episode},
          {"steps", snapshot.steps},
          {"last_episode_reward", snapshot.last_episode_reward},
          {"reward_mean_10", snapshot.reward_mean_10},
          {"reward_mean_100", snapshot.reward_mean_100},
          {"metrics", snapshot.metrics},
          {"memory_bytes", snapshot.memory_bytes}};
}

nlohmann::json actions_json(const marl::StepReport& report) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < kAgents; ++i) {
    const auto chosen = static_cast<std::size_t>(report.coordination.choice[i]);
    out[agent_name(i)] = action_value(i, report.candidates[i].action[chosen]);
  }
  return out;
}

nlohmann::json conflicts_json(const marl::Conflicts& conflicts) {
  nlohmann::json out = nlohmann::json::array();
  for (int k = 0; k < conflicts.count; ++k) {
    const marl::Conflict& conflict = conflicts.items[static_cast<std::size_t>(k)];
    out.push_back({{"type", marl::conflict_type_name(conflict.type)},
                   {"agents", involved(conflict.agents)},
                   {"description", marl::conflict_description(conflict.type)}});
  }
  return out;
}

nlohmann::json conflict_record_json(const marl::ConflictRecord& record) {
  return {{"step", record.step},
          {"episode", record.episode},
          {"type", marl::conflict_type_name(record.type)},
          {"agents", involved(record.agents)},
          {"description", marl::conflict_description(record.type)},
          {"ts", core::format_iso8601(record.time)}};
}

nlohmann::json nash_json(const marl::StepReport& report) {
  const marl::NashSummary& nash = report.coordination.nash;
  nlohmann::json candidates = nlohmann::json::array();
  for (std::size_t i = 0; i < kAgents; ++i) {
    nlohmann::json actions = nlohmann::json::array();
    for (int k = 0; k < report.candidates[i].count; ++k) {
      actions.push_back(action_value(i, report.candidates[i].action[static_cast<std::size_t>(k)]));
    }
    candidates.push_back(std::move(actions));
  }
  return {{"step", report.step},
          {"players", players()},
          {"method", nash.method},
          {"strategies", nash.strategies},
          {"candidates", std::move(candidates)},
          {"payoffs", nash.payoffs},
          {"equilibria", nash.equilibria},
          {"iterations", nash.iterations},
          {"converged", nash.converged},
          {"exploitability", nash.exploitability},
          {"convergence_time_seconds", nash.seconds}};
}

nlohmann::json step_json(const marl::StepReport& report) {
  nlohmann::json rewards = nlohmann::json::object();
  for (std::size_t i = 0; i < kAgents; ++i) rewards[agent_name(i)] = report.rewards[i];
  return {{"step", report.step},
          {"episode", report.episode},
          {"global_reward", report.global_reward},
          {"rewards", std::move(rewards)},
          {"actions", actions_json(report)},
          {"conflicts", conflicts_json(report.coordination.executed)},
          {"nash", nash_json(report)},
          {"pareto",
           {{"hypervolume", report.coordination.pareto.hypervolume},
            {"selected", report.coordination.pareto.selected}}}};
}

nlohmann::json pareto_json(const marl::StepReport& report, const marl::CoordinatorOptions& options,
                           const std::vector<marl::HypervolumeSample>& history) {
  const marl::ParetoSummary& pareto = report.coordination.pareto;
  nlohmann::json candidates = nlohmann::json::array();
  for (std::size_t j = 0; j < pareto.joint.size(); ++j) {
    nlohmann::json joint = nlohmann::json::array();
    for (std::size_t i = 0; i < kAgents; ++i) {
      joint.push_back(action_value(
          i, report.candidates[i].action[static_cast<std::size_t>(pareto.joint[j][i])]));
    }
    candidates.push_back({{"payoffs", pareto.payoffs[j]},
                          {"joint_action", std::move(joint)},
                          {"on_frontier", static_cast<bool>(pareto.on_frontier[j])}});
  }
  nlohmann::json samples = nlohmann::json::array();
  for (const marl::HypervolumeSample& sample : history) {
    samples.push_back({{"step", sample.step}, {"value", sample.value}});
  }
  return {{"step", report.step},
          {"objectives", players()},
          {"candidates", std::move(candidates)},
          {"selected", pareto.selected},
          {"method", marl::pareto_rule_name(options.pareto_rule)},
          {"hypervolume", pareto.hypervolume},
          {"hypervolume_reference", marl::kHypervolumeReference},
          {"hypervolume_history", std::move(samples)}};
}

nlohmann::json metrics_json(const marl::OrchestratorMetrics& m) {
  nlohmann::json rewards = nlohmann::json::object();
  for (std::size_t i = 0; i < kAgents; ++i) rewards[agent_name(i)] = m.agent_rewards[i];
  return {{"step", m.steps},
          {"episode", m.episodes},
          {"steps_per_second", m.steps_per_second},
          {"global_reward",
           {{"current", m.global_reward},
            {"mean", m.global_reward_mean},
            {"trend", m.global_reward_trend}}},
          {"agent_rewards", std::move(rewards)},
          {"conflict_rate", m.conflict_rate},
          {"nash",
           {{"converged_fraction", m.nash_converged},
            {"mean_iterations", m.nash_iterations},
            {"mean_exploitability", m.nash_exploitability},
            {"mean_convergence_time_seconds", m.nash_seconds}}}};
}

}  // namespace tars::api
