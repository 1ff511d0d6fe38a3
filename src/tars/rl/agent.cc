#include "tars/rl/agent.h"

#include <fmt/format.h>

#include <variant>

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

std::uint64_t tensor_bytes(const std::vector<nn::StoredTensor>& tensors) {
  std::uint64_t bytes = 0;
  for (const nn::StoredTensor& tensor : tensors) {
    bytes +=
        std::visit([](const auto& data) { return data.size() * sizeof(data[0]); }, tensor.data);
  }
  return bytes;
}

namespace {
core::Status no_online_learning(std::string_view algorithm) {
  return core::failed_precondition(fmt::format("{} does not support online learning", algorithm));
}
}  // namespace

core::Status Agent::explore(std::span<const float> /*observation*/, std::int64_t& /*discrete*/,
                            std::span<float> /*continuous*/) {
  return no_online_learning(algorithm());
}

core::Status Agent::score_actions(std::span<const float> /*observation*/,
                                  std::span<const std::int64_t> /*discrete*/,
                                  std::span<const float> /*continuous*/,
                                  std::span<double> /*scores*/) {
  return no_online_learning(algorithm());
}

core::Status Agent::observe(const Transition& /*transition*/) {
  return no_online_learning(algorithm());
}

core::Status Agent::load_replay_buffer(const nn::SafetensorsFile& /*file*/) {
  return core::invalid_argument(fmt::format("{} has no replay buffer", algorithm()));
}

}  // namespace tars::rl
