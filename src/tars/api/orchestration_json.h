// JSON of the orchestrator's state, shared by the REST routes and the live feed.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "tars/marl/orchestrator.h"
#include "tars/rl/hyperparameters.h"

namespace tars::api {

// [{"name", "value", "class", "type", "min"?, "max"?, "choices"?, "description"}]
nlohmann::json hyperparameters_json(const rl::Hyperparameters& hyperparameters);
// {"id", "role", "algorithm", "episode", "steps", "last_episode_reward", "reward_mean_10",
//  "reward_mean_100", "metrics", "memory_bytes"}
nlohmann::json agent_json(const marl::AgentSnapshot& snapshot);
// The executed action of each agent: {"policy": 7, ..., "resource": 0.42}
nlohmann::json actions_json(const marl::StepReport& report);
nlohmann::json conflicts_json(const marl::Conflicts& conflicts);
nlohmann::json conflict_record_json(const marl::ConflictRecord& record);
// {"step", "players", "method", "strategies", "candidates", "payoffs", "equilibria",
//  "iterations", "converged", "exploitability", "convergence_time_seconds"}
nlohmann::json nash_json(const marl::StepReport& report);
// The live `orchestration.step` message.
nlohmann::json step_json(const marl::StepReport& report);
// {"objectives", "candidates": [{"payoffs", "joint_action", "on_frontier"}], "selected",
//  "method", "hypervolume", "hypervolume_history"}
nlohmann::json pareto_json(const marl::StepReport& report, const marl::CoordinatorOptions& options,
                           const std::vector<marl::HypervolumeSample>& history);
nlohmann::json metrics_json(const marl::OrchestratorMetrics& metrics);

}  // namespace tars::api
