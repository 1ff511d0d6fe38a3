#include "tars/env/ops_sim/ops_sim_spec.h"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

namespace tars::env {

Space ops_observation_space(OpsAgent agent) {
  const auto dim = static_cast<std::size_t>(ops_agent_spec(agent).obs_dim);
  return Space::box(std::vector<double>(dim, -1.0), std::vector<double>(dim, 1.0));
}

Space ops_action_space(OpsAgent agent) {
  const OpsAgentSpec& spec = ops_agent_spec(agent);
  if (spec.num_actions > 0) return Space::discrete(spec.num_actions);
  return Space::box({kOpsResourceLow}, {kOpsResourceHigh});
}

namespace {

core::Status check_discrete(OpsAgent agent, int value) {
  const OpsAgentSpec& spec = ops_agent_spec(agent);
  if (value >= 0 && value < spec.num_actions) return {};
  return core::invalid_argument(
      fmt::format("ops_sim: {} action must be an integer in [0, {}], got {}", spec.name,
                  spec.num_actions - 1, value));
}

}  // namespace

core::Status validate_ops_action(const OpsSimAction& action) {
  if (core::Status s = check_discrete(OpsAgent::kPolicy, action.policy); !s.ok()) return s;
  if (core::Status s = check_discrete(OpsAgent::kConsensus, action.consensus); !s.ok()) return s;
  if (core::Status s = check_discrete(OpsAgent::kEthical, action.ethical); !s.ok()) return s;
  // Written so that NaN fails the comparison.
  if (!(action.resource >= kOpsResourceLow && action.resource <= kOpsResourceHigh)) {
    return core::invalid_argument(
        fmt::format("ops_sim: resource action must be a number in [{}, {}], got {}",
                    kOpsResourceLow, kOpsResourceHigh, action.resource));
  }
  return {};
}

}  // namespace tars::env
