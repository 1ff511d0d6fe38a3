// Conflict rules between the four agents' decisions (documented in the README, "Orchestrator").
// A conflict is a joint action whose parts work against each other in the current state of the
// service; the coordinator penalises every agent involved, and the global reward subtracts a
// penalty for each conflict that is executed.
#pragma once

#include <array>
#include <cmath>
#include <string_view>

#include "tars/env/ops_sim/ops_sim_spec.h"

namespace tars::marl {

enum class ConflictType : int {
  // policy admits everything uncapped (actions 7-9) while ethical gives one group 70 % of the
  // capacity (actions 4-7): the admitted load meets a split that starves three groups.
  kAdmissionVsFairness = 0,
  // resource asks for the maximum replicas (target >= 0.95) while utilisation is below 50 %:
  // scaling to the maximum spends money on idle capacity.
  kScaleToMax = 1,
  // policy refuses or caps work (actions 0-4) while resource asks for fewer replicas than are
  // provisioned: both cut the service at once.
  kShedVsScaleDown = 2,
  // consensus picks the aggressive 50 ms timeout (action 0) while utilisation is above 80 % and
  // policy admits everything (actions 7-9): writes time out and retry under load.
  kTimeoutUnderLoad = 3,
};
inline constexpr int kConflictTypes = 4;

// "admission_vs_fairness", "scale_to_max", "shed_vs_scale_down", "timeout_under_load".
std::string_view conflict_type_name(ConflictType type);
// One sentence for people (dashboard, API).
std::string_view conflict_description(ConflictType type);

// What the rules know about the service; NaN means unknown and rules that need it do not fire
// (an external system may not report it).
struct ServiceContext {
  double utilisation = std::nan("");       // served work / capacity, [0, 1]
  double replica_fraction = std::nan("");  // provisioned replicas as a fraction of [min, max]
  // One replica as a fraction of [min, max] (1 / (max − min)); 0 when unknown. A resource action
  // removes replicas when it asks for fewer than are provisioned: below replica_fraction by more
  // than half a replica (targets are rounded to whole replicas).
  double replica_step = 0.0;
};

struct Conflict {
  ConflictType type = ConflictType::kAdmissionVsFairness;
  std::array<bool, env::kOpsNumAgents> agents = {};  // who is involved
};

// The conflicts of a joint action, at most one per rule, without allocating.
struct Conflicts {
  std::array<Conflict, kConflictTypes> items = {};
  int count = 0;

  // How many of the conflicts involve `agent`.
  int involving(env::OpsAgent agent) const;
};

Conflicts detect_conflicts(const env::OpsSimAction& action, const ServiceContext& context);

}  // namespace tars::marl
