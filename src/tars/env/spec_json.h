// A registered environment as JSON (ids, spaces, time limit, reward threshold), as `tars env
// list --json` prints it and GET /api/v1/environments returns it.
#pragma once

#include <nlohmann/json.hpp>

#include "tars/core/status.h"
#include "tars/env/registry.h"

namespace tars::env {

nlohmann::json space_json(const Space& space);
// {"id", "summary", "observation_space", "action_space", "max_episode_steps",
// "reward_threshold"}; making the environment can fail only for a broken registration.
core::Expected<nlohmann::json> environment_json(const Registration& registration);

}  // namespace tars::env
