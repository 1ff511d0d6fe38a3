#include "tars/env/ops_sim/ops_sim_config.h"

#include <fmt/format.h>

#include <string_view>

namespace tars::env {

namespace {

// Comparisons are written so that NaN fails them.
core::Status check_int(std::string_view field, int value, int low, int high) {
  if (value >= low && value <= high) return {};
  return core::invalid_argument(
      fmt::format("ops_sim config: {} must be in [{}, {}], got {}", field, low, high, value));
}

core::Status check_closed(std::string_view field, double value, double low, double high) {
  if (value >= low && value <= high) return {};
  return core::invalid_argument(
      fmt::format("ops_sim config: {} must be in [{}, {}], got {}", field, low, high, value));
}

core::Status check_half_open(std::string_view field, double value, double low, double high) {
  if (value >= low && value < high) return {};
  return core::invalid_argument(
      fmt::format("ops_sim config: {} must be in [{}, {}), got {}", field, low, high, value));
}

core::Status check_positive(std::string_view field, double value, double high) {
  if (value > 0.0 && value <= high) return {};
  return core::invalid_argument(
      fmt::format("ops_sim config: {} must be in (0, {}], got {}", field, high, value));
}

}  // namespace

core::Status validate_ops_config(const OpsSimConfig& c) {
  constexpr int kMaxEpisode = 1'000'000'000;
  const core::Status checks[] = {
      check_int("episode_length", c.episode_length, 1, kMaxEpisode),
      check_positive("step_seconds", c.step_seconds, 86400.0),
      check_int("steps_per_day", c.steps_per_day, 1, kOpsMaxStepsPerDay),
      check_int("min_replicas", c.min_replicas, 1, kOpsMaxReplicas),
      check_int("max_replicas", c.max_replicas, c.min_replicas, kOpsMaxReplicas),
      check_int("initial_replicas", c.initial_replicas, c.min_replicas, c.max_replicas),
      check_int("scaling_delay", c.scaling_delay, 0, kOpsMaxScalingDelay),
      check_int("workers_per_replica", c.workers_per_replica, 1, 1024),
      check_closed("cost_per_replica_hour", c.cost_per_replica_hour, 0.0, 1e6),
      check_positive("load_scale", c.load_scale, 100.0),
      check_half_open("daily_amplitude", c.daily_amplitude, 0.0, 1.0),
      check_closed("burst_probability", c.burst_probability, 0.0, 1.0),
      check_half_open("burst_decay", c.burst_decay, 0.0, 1.0),
      check_closed("arrival_noise", c.arrival_noise, 0.0, 0.5),
      check_closed("node_failure_probability", c.node_failure_probability, 0.0, 1.0),
      check_int("repair_steps", c.repair_steps, 1, kMaxEpisode),
      check_closed("write_fraction", c.write_fraction, 0.0, 1.0),
  };
  for (const core::Status& status : checks) {
    if (!status.ok()) return status;
  }
  return {};
}

}  // namespace tars::env
