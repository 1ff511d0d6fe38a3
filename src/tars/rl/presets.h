// Hyperparameter presets for `tars train --preset`: "tars" is the algorithm's own defaults
// (Stable-Baselines3's), "zoo" is RL Baselines3 Zoo's tuned values for an environment.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tars/core/status.h"

namespace tars::rl {

struct Preset {
  std::int64_t n_timesteps = 0;  // the training budget the preset was tuned for
  std::vector<std::pair<std::string, std::string>> hyperparameters;  // applied over defaults
};

// The "zoo" preset for (algorithm, environment); not_found naming what exists otherwise.
core::Expected<Preset> zoo_preset(std::string_view algorithm, std::string_view env_id);
// Every (algorithm, environment) with a zoo preset, for the README and error messages.
std::vector<std::pair<std::string, std::string>> zoo_presets();

}  // namespace tars::rl
