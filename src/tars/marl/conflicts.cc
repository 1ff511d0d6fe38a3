#include "tars/marl/conflicts.h"

namespace tars::marl {

namespace {

constexpr double kIdleUtilisation = 0.5;
constexpr double kBusyUtilisation = 0.8;
constexpr float kMaxScaleTarget = 0.95f;
constexpr double kRestrictiveWeight = 0.7;
constexpr int kAggressiveTimeoutAction = 0;

const env::OpsPolicySetting& policy_setting(const env::OpsSimAction& action) {
  return env::kOpsPolicySettings[static_cast<std::size_t>(action.policy)];
}

bool admits_everything(const env::OpsSimAction& action) {
  const env::OpsPolicySetting& setting = policy_setting(action);
  return setting.admit_fraction >= 1.0 && setting.utilisation_cap <= 0.0;
}

bool refuses_or_caps(const env::OpsSimAction& action) {
  const env::OpsPolicySetting& setting = policy_setting(action);
  return setting.admit_fraction < 1.0 ||
         (setting.utilisation_cap > 0.0 && setting.utilisation_cap <= kBusyUtilisation);
}

bool restrictive_fairness(const env::OpsSimAction& action) {
  for (double weight : env::kOpsFairnessWeights[static_cast<std::size_t>(action.ethical)]) {
    if (weight >= kRestrictiveWeight) return true;
  }
  return false;
}

void add(Conflicts& conflicts, ConflictType type, std::initializer_list<env::OpsAgent> agents) {
  Conflict& conflict = conflicts.items[static_cast<std::size_t>(conflicts.count++)];
  conflict.type = type;
  conflict.agents = {};
  for (env::OpsAgent agent : agents) conflict.agents[static_cast<std::size_t>(agent)] = true;
}

}  // namespace

std::string_view conflict_type_name(ConflictType type) {
  switch (type) {
    case ConflictType::kAdmissionVsFairness:
      return "admission_vs_fairness";
    case ConflictType::kScaleToMax:
      return "scale_to_max";
    case ConflictType::kShedVsScaleDown:
      return "shed_vs_scale_down";
    case ConflictType::kTimeoutUnderLoad:
      return "timeout_under_load";
  }
  return "unknown";
}

std::string_view conflict_description(ConflictType type) {
  switch (type) {
    case ConflictType::kAdmissionVsFairness:
      return "policy admits all load while ethical gives one tenant group 70% of the capacity";
    case ConflictType::kScaleToMax:
      return "resource scales to the maximum while utilisation is below 50%";
    case ConflictType::kShedVsScaleDown:
      return "policy refuses or caps load while resource removes replicas";
    case ConflictType::kTimeoutUnderLoad:
      return "consensus uses the 50 ms timeout while utilisation is above 80% and all load is "
             "admitted";
  }
  return "unknown";
}

int Conflicts::involving(env::OpsAgent agent) const {
  int n = 0;
  for (int i = 0; i < count; ++i)
    n += items[static_cast<std::size_t>(i)].agents[static_cast<std::size_t>(agent)];
  return n;
}

Conflicts detect_conflicts(const env::OpsSimAction& action, const ServiceContext& context) {
  using env::OpsAgent;
  Conflicts conflicts;
  if (admits_everything(action) && restrictive_fairness(action)) {
    add(conflicts, ConflictType::kAdmissionVsFairness, {OpsAgent::kPolicy, OpsAgent::kEthical});
  }
  // NaN compares false, so rules that need an unknown value do not fire.
  if (action.resource >= kMaxScaleTarget && context.utilisation < kIdleUtilisation) {
    add(conflicts, ConflictType::kScaleToMax, {OpsAgent::kResource});
  }
  if (refuses_or_caps(action) &&
      action.resource < context.replica_fraction - 0.5 * context.replica_step) {
    add(conflicts, ConflictType::kShedVsScaleDown, {OpsAgent::kPolicy, OpsAgent::kResource});
  }
  if (action.consensus == kAggressiveTimeoutAction && context.utilisation > kBusyUtilisation &&
      admits_everything(action)) {
    add(conflicts, ConflictType::kTimeoutUnderLoad, {OpsAgent::kConsensus, OpsAgent::kPolicy});
  }
  return conflicts;
}

}  // namespace tars::marl
