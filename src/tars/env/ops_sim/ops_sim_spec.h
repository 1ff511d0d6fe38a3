// The four agents of ops_sim (roles, observation sizes, action spaces), the tenant groups and the
// meaning of every discrete action, declared once. docs/ops_sim.md explains the model.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "tars/core/status.h"
#include "tars/env/space.h"

namespace tars::env {

// ---------------------------------------------------------------------------------------------
// Agents
// ---------------------------------------------------------------------------------------------

// Index of each agent in OpsSimStep::rewards and OpsSim::observation().
enum class OpsAgent : int { kPolicy = 0, kConsensus = 1, kEthical = 2, kResource = 3 };
inline constexpr int kOpsNumAgents = 4;

inline constexpr int kOpsPolicyObsDim = 32;
inline constexpr int kOpsConsensusObsDim = 16;
inline constexpr int kOpsEthicalObsDim = 24;
inline constexpr int kOpsResourceObsDim = 20;

inline constexpr int kOpsPolicyActions = 10;     // Discrete(10): admission / shedding policy
inline constexpr int kOpsConsensusActions = 5;   // Discrete(5): consensus timeout and quorum
inline constexpr int kOpsEthicalActions = 8;     // Discrete(8): fairness weights over 4 groups
inline constexpr float kOpsResourceLow = 0.0f;   // Box(1,) in [0, 1]: replica target as a
inline constexpr float kOpsResourceHigh = 1.0f;  // fraction of [min_replicas, max_replicas]

struct OpsAgentSpec {
  OpsAgent agent;
  std::string_view name;       // "policy", "consensus", "ethical", "resource"
  std::string_view role;       // one line: what the agent decides
  int obs_dim;                 // length of its observation vector
  int num_actions;             // Discrete(n); 0 for the continuous resource agent
  std::string_view algorithm;  // the algorithm DESIGN.md §4 assigns to the role
};

inline constexpr std::array<OpsAgentSpec, kOpsNumAgents> kOpsAgents = {{
    {OpsAgent::kPolicy, "policy", "admission control and load-shedding threshold", kOpsPolicyObsDim,
     kOpsPolicyActions, "dqn"},
    {OpsAgent::kConsensus, "consensus", "consensus timeout and quorum rule", kOpsConsensusObsDim,
     kOpsConsensusActions, "a2c"},
    {OpsAgent::kEthical, "ethical", "fairness weights between the tenant groups", kOpsEthicalObsDim,
     kOpsEthicalActions, "ppo"},
    {OpsAgent::kResource, "resource", "replica target in [0, 1] of [min, max] replicas",
     kOpsResourceObsDim, 0, "ddpg"},
}};

inline constexpr const OpsAgentSpec& ops_agent_spec(OpsAgent agent) {
  return kOpsAgents[static_cast<std::size_t>(agent)];
}
// Box(obs_dim,) float32 in [-1, 1] (every feature is documented in docs/ops_sim.md).
Space ops_observation_space(OpsAgent agent);
// Discrete(n), or Box(1,) float32 in [0, 1] for the resource agent.
Space ops_action_space(OpsAgent agent);

// ---------------------------------------------------------------------------------------------
// Tenant groups: base load, work per request, latency SLO and the phase of their daily peak.
// ---------------------------------------------------------------------------------------------

inline constexpr int kOpsNumGroups = 4;
inline constexpr std::array<std::string_view, kOpsNumGroups> kOpsGroupNames = {
    "interactive", "api", "batch", "analytics"};
// Mean arrival rate over a day at load_scale 1 (requests/s).
inline constexpr std::array<double, kOpsNumGroups> kOpsGroupBaseRate = {400.0, 300.0, 150.0, 50.0};
// Service demand of one request (work units; one unit = kOpsServiceSecondsPerWork of a worker).
inline constexpr std::array<double, kOpsNumGroups> kOpsGroupWork = {1.0, 1.0, 2.0, 4.0};
// Latency SLO: a request slower than this is an SLO violation (s).
inline constexpr std::array<double, kOpsNumGroups> kOpsGroupSloSeconds = {0.3, 0.3, 0.6, 1.2};
// Fraction of a day by which the group's daily peak is shifted from noon (analytics peaks at
// midnight).
inline constexpr std::array<double, kOpsNumGroups> kOpsGroupPeakShift = {0.0, 0.05, 0.25, 0.5};

// ---------------------------------------------------------------------------------------------
// Discrete actions
// ---------------------------------------------------------------------------------------------

// Policy agent: admitted fraction of arrivals, utilisation cap (admitted new work per second at
// most cap × capacity; <= 0 means no cap) and the shedding threshold (queued work beyond what
// the group drains in this many seconds is dropped).
struct OpsPolicySetting {
  double admit_fraction;   // share of arriving requests admitted, in [0, 1]
  double utilisation_cap;  // admitted work <= cap × capacity; 0 = no cap
  double shed_seconds;     // backlog limit in seconds of the group's service rate (s)
};
inline constexpr std::array<OpsPolicySetting, kOpsPolicyActions> kOpsPolicySettings = {{
    {0.0, 0.0, 0.0},   // 0: admit nothing (maintenance mode)
    {0.5, 0.0, 1.0},   // 1: admit half, shed beyond 1 s of queue
    {0.8, 0.0, 1.0},   // 2: admit 80 %, shed beyond 1 s
    {1.0, 0.7, 0.25},  // 3: admit up to 70 % of capacity, shed beyond 0.25 s
    {1.0, 0.8, 0.5},   // 4: admit up to 80 % of capacity, shed beyond 0.5 s
    {1.0, 0.9, 0.5},   // 5: admit up to 90 % of capacity, shed beyond 0.5 s
    {1.0, 1.0, 1.0},   // 6: admit up to capacity, shed beyond 1 s
    {1.0, 0.0, 1.0},   // 7: admit all, shed beyond 1 s (the default)
    {1.0, 0.0, 5.0},   // 8: admit all, shed beyond 5 s
    {1.0, 0.0, 30.0},  // 9: admit all, queue up to 30 s (almost never shed)
}};
inline constexpr int kOpsDefaultPolicyAction = 7;

// Consensus agent: per-round timeout and the quorum rule for writes.
enum class OpsQuorum : int {
  kMajorityOfProvisioned = 0,  // classic Raft: floor(n / 2) + 1 of all provisioned replicas
  kMajorityOfHealthy = 1,      // membership reconfigured around failed nodes (extra latency)
};
struct OpsConsensusSetting {
  double timeout_seconds;  // a round not committed within this is retried (s)
  OpsQuorum quorum;
};
inline constexpr std::array<OpsConsensusSetting, kOpsConsensusActions> kOpsConsensusSettings = {{
    {0.05, OpsQuorum::kMajorityOfProvisioned},  // 0: aggressive 50 ms timeout
    {0.15, OpsQuorum::kMajorityOfProvisioned},  // 1: 150 ms (the default)
    {0.40, OpsQuorum::kMajorityOfProvisioned},  // 2: patient 400 ms
    {0.15, OpsQuorum::kMajorityOfHealthy},      // 3: 150 ms, quorum of healthy nodes
    {0.40, OpsQuorum::kMajorityOfHealthy},      // 4: 400 ms, quorum of healthy nodes
}};
inline constexpr int kOpsDefaultConsensusAction = 1;

// Ethical agent: weights of the weighted-fair (GPS) capacity split; each row sums to 1.
inline constexpr std::array<std::array<double, kOpsNumGroups>, kOpsEthicalActions>
    kOpsFairnessWeights = {{
        {0.25, 0.25, 0.25, 0.25},            // 0: equal
        {1.0 / 3.0, 0.25, 0.25, 1.0 / 6.0},  // 1: proportional to mean work demand
        {0.4, 0.4, 0.15, 0.05},              // 2: light requests first (max throughput)
        {0.1, 0.1, 0.3, 0.5},                // 3: heavy requests first
        {0.7, 0.1, 0.1, 0.1},                // 4: prioritise interactive
        {0.1, 0.7, 0.1, 0.1},                // 5: prioritise api
        {0.1, 0.1, 0.7, 0.1},                // 6: prioritise batch
        {0.1, 0.1, 0.1, 0.7},                // 7: prioritise analytics
    }};
inline constexpr int kOpsDefaultEthicalAction = 1;

// One joint action of the four agents.
struct OpsSimAction {
  int policy = kOpsDefaultPolicyAction;        // in [0, 10)
  int consensus = kOpsDefaultConsensusAction;  // in [0, 5)
  int ethical = kOpsDefaultEthicalAction;      // in [0, 8)
  float resource = 0.5f;                       // in [0, 1]; NaN and infinities are rejected
};

// An error naming the first agent whose action is out of range (with the value); ok otherwise.
core::Status validate_ops_action(const OpsSimAction& action);

}  // namespace tars::env
