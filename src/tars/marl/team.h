// The four agents of the orchestrator (DESIGN.md §4) with T.A.R.S. 1.0's hyperparameters as
// defaults: policy = DQN, consensus = A2C, ethical = PPO, resource = DDPG, each on its ops_sim
// observation and action space.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/env/ops_sim/ops_sim_spec.h"
#include "tars/rl/agent.h"

namespace tars::marl {

using Assignments = std::vector<std::pair<std::string, std::string>>;

// T.A.R.S. 1.0's hyperparameters for the agent's algorithm (applied over its defaults).
const Assignments& tars1_hyperparameters(env::OpsAgent agent);

// The agent's observation and action spaces as an EnvSpec ("ops_sim/<name>").
env::EnvSpec ops_agent_env_spec(env::OpsAgent agent);

// The agent's name ("policy", ...) → its index; an error lists the names.
core::Expected<env::OpsAgent> parse_ops_agent(std::string_view name);

using Team = std::array<std::unique_ptr<rl::Agent>, env::kOpsNumAgents>;

// The four agents with T.A.R.S. 1.0's hyperparameters, then `overrides[agent]`; agent i draws its
// randomness from seed + i. An invalid override is an error naming the agent.
core::Expected<Team> make_team(std::uint64_t seed,
                               const std::array<Assignments, env::kOpsNumAgents>& overrides = {});

}  // namespace tars::marl
