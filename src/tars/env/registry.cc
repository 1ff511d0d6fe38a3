#include "tars/env/registry.h"

#include <fmt/format.h>

#include "tars/env/box2d/lunar_lander.h"
#include "tars/env/classic/acrobot.h"
#include "tars/env/classic/cartpole.h"
#include "tars/env/classic/continuous_mountain_car.h"
#include "tars/env/classic/mountain_car.h"
#include "tars/env/classic/pendulum.h"

namespace tars::env {

namespace {

// Ids Gymnasium no longer registers, with the id to use instead (its DeprecatedEnv).
struct DeprecatedId {
  std::string_view id;
  std::string_view replacement;
};
constexpr DeprecatedId kDeprecatedIds[] = {
    {"LunarLander-v2", "LunarLander-v3"},
    {"LunarLanderContinuous-v2", "LunarLanderContinuous-v3"},
};

}  // namespace

const std::vector<Registration>& registrations() {
  static const std::vector<Registration> table = {
      {"CartPole-v1", "Balance a pole on a cart by pushing it left or right",
       &classic::make_cartpole},
      {"MountainCar-v0", "Rock an under-powered car out of a valley to the flag",
       &classic::make_mountain_car},
      {"MountainCarContinuous-v0", "Mountain car with a continuous force; +100 at the flag",
       &classic::make_continuous_mountain_car},
      {"Pendulum-v1", "Swing a pendulum upright and hold it with limited torque",
       &classic::make_pendulum},
      {"Acrobot-v1", "Swing the tip of a two-link arm above the bar", &classic::make_acrobot},
      {LunarLander::kId, "Land a Box2D lander on the pad by firing its engines",
       &LunarLander::make},
      {LunarLander::kContinuousId, "LunarLander-v3 with continuous main and lateral throttles",
       &LunarLander::make_continuous},
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
  for (const DeprecatedId& deprecated : kDeprecatedIds) {
    if (deprecated.id != id) continue;
    return core::not_found(fmt::format("environment '{}' is deprecated; please use '{}' instead",
                                       id, deprecated.replacement));
  }
  std::string known;
  for (const Registration& registration : registrations()) {
    known += (known.empty() ? "" : ", ") + registration.id;
  }
  return core::not_found(fmt::format("unknown environment '{}' (registered: {})", id, known));
}

}  // namespace tars::env
