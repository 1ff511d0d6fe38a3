#include "tars/env/ops_sim/ops_sim_heuristic.h"

#include <algorithm>
#include <cmath>

namespace tars::env {

OpsSimAction ops_sim_heuristic(const OpsSimMetrics& m, const OpsSimConfig& config) {
  OpsSimAction action;
  action.policy = kOpsHeuristicPolicyAction;

  const bool degraded = m.failed_nodes > 0;
  if (m.utilisation < kOpsHeuristicFastTimeoutBelow) {
    action.consensus = 0;
  } else if (m.utilisation < kOpsHeuristicSlowTimeoutAbove) {
    action.consensus = degraded ? 3 : 1;
  } else {
    action.consensus = degraded ? 4 : 2;
  }

  action.ethical = kOpsHeuristicEthicalAction;

  const double replica_rate = config.workers_per_replica / kOpsServiceSecondsPerWork;
  const double needed =
      std::ceil(m.offered_work / (kOpsHeuristicTargetUtilisation * replica_rate)) + m.failed_nodes;
  const int span = config.max_replicas - config.min_replicas;
  const double target = std::clamp(needed, static_cast<double>(config.min_replicas),
                                   static_cast<double>(config.max_replicas));
  action.resource = span > 0 ? static_cast<float>((target - config.min_replicas) / span) : 0.0f;
  return action;
}

}  // namespace tars::env
