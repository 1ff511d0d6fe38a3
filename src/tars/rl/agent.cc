#include "tars/rl/agent.h"

#include <fmt/format.h>

namespace tars::rl {

core::Expected<Hyperparameters> with_live_changes(
    const Hyperparameters& current,
    const std::vector<std::pair<std::string, std::string>>& assignments) {
  Hyperparameters changed = current;
  if (core::Status status = changed.set_all(assignments); !status.ok()) return status;
  for (const auto& [name, text] : assignments) {
    const HyperparameterSpec* spec = changed.find(name);
    if (spec->reload == ReloadClass::kCold && changed.text(name) != current.text(name)) {
      return core::failed_precondition(
          fmt::format("hyperparameter '{}' is cold: changing it needs a new agent", name));
    }
  }
  return changed;
}

core::Status Agent::set_hyperparameters(
    const std::vector<std::pair<std::string, std::string>>& assignments) {
  auto changed = with_live_changes(hyperparameters(), assignments);
  if (!changed.ok()) return changed.status();
  return core::failed_precondition(
      fmt::format("{} does not support changing hyperparameters while running", algorithm()));
}

}  // namespace tars::rl
