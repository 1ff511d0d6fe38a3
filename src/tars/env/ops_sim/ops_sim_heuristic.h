// A fixed rule-based team for ops_sim: what a careful operator would configure by hand. The
// orchestrator's learning benchmark compares trained teams against it (docs/ops_sim.md).
#pragma once

#include "tars/env/ops_sim/ops_sim.h"

namespace tars::env {

// Policy: admit everything until the admitted work reaches 80 % of the capacity in force, and
// shed what would wait more than 0.5 s (action 4): load beyond the headroom is refused instead
// of queueing into SLO violations while the replicas catch up.
inline constexpr int kOpsHeuristicPolicyAction = 4;
// Consensus (the replication lag grows with the last step's utilisation): a 50 ms timeout below
// this utilisation (action 0), 150 ms up to the next threshold (1), 400 ms above it (2); above
// the first threshold with failed replicas, the quorum of healthy replicas (3, 4).
inline constexpr double kOpsHeuristicFastTimeoutBelow = 0.55;
inline constexpr double kOpsHeuristicSlowTimeoutAbove = 0.85;
// Ethical: weights proportional to the groups' mean work demand (action 1), which gives every
// group the same share of its demand when capacity is short.
inline constexpr int kOpsHeuristicEthicalAction = 1;
// Resource: enough healthy replicas to run the last step's offered work at this utilisation,
// plus the replicas under repair.
inline constexpr double kOpsHeuristicTargetUtilisation = 0.6;

// The joint action for the next step, from the metrics of the last step (OpsSim::metrics()).
OpsSimAction ops_sim_heuristic(const OpsSimMetrics& metrics, const OpsSimConfig& config);

}  // namespace tars::env
