// The learning algorithms `tars train` can run, by name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/rl/agent.h"
#include "tars/rl/hyperparameters.h"

namespace tars::rl {

// Names of the available algorithms, e.g. {"ppo"}.
std::vector<std::string> algorithm_names();

// The algorithm's hyperparameters at their defaults; unknown names are not_found listing the
// available ones.
core::Expected<Hyperparameters> default_hyperparameters(std::string_view algorithm);

// A new agent for `spec`; fails when the algorithm does not support the action space.
core::Expected<std::unique_ptr<Agent>> make_agent(std::string_view algorithm,
                                                  const env::EnvSpec& spec,
                                                  const Hyperparameters& hyperparameters,
                                                  std::uint64_t seed);

}  // namespace tars::rl
