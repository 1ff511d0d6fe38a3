#include "tars/env/registry.h"

#include <fmt/format.h>

namespace tars::env {

const std::vector<Registration>& registrations() {
  static const std::vector<Registration> table = {
  };
  return table;
}

core::Expected<std::unique_ptr<Env>> make(std::string_view id, const Kwargs& kwargs,
                                          std::optional<int> max_episode_steps) {
  for (const Registration& registration : registrations()) {
    if (registration.id != id) continue;
    if (max_episode_steps && *max_episode_steps <= 0) {
      return core::invalid_argument(
          fmt::format("max_episode_steps must be positive, got {}", *max_episode_steps));
    }
    auto env = registration.factory(kwargs);
    if (env.ok() && max_episode_steps) (*env)->set_max_episode_steps(*max_episode_steps);
    return env;
  }
  std::string known;
  for (const Registration& registration : registrations()) {
    known += (known.empty() ? "" : ", ") + registration.id;
  }
  return core::not_found(fmt::format("unknown environment '{}' (registered: {})", id, known));
}

}  // namespace tars::env
