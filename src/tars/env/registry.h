// Environments by id, as `gym.make`: registration with time limits and kwargs.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"

namespace tars::env {

using EnvFactory = std::function<core::Expected<std::unique_ptr<Env>>(const Kwargs&)>;

struct Registration {
  std::string id;
  std::string summary;  // one line for `tars env list`
  EnvFactory factory;
};

// All registered environments, in registration order.
const std::vector<Registration>& registrations();

// `gym.make(id, **kwargs)`; an unknown id, unknown kwarg or wrong type is an error naming it.
// `max_episode_steps` overrides the registered time limit when given (must be > 0).
core::Expected<std::unique_ptr<Env>> make(std::string_view id, const Kwargs& kwargs = {},
                                          std::optional<int> max_episode_steps = std::nullopt);

}  // namespace tars::env
