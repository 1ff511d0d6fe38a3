#include "tars/env/spec_json.h"

namespace tars::env {

nlohmann::json space_json(const Space& space) {
  nlohmann::json json = {{"type", space.is_discrete() ? "Discrete" : "Box"},
                         {"repr", space.describe()}};
  if (space.is_discrete()) {
    json["n"] = space.n();
  } else {
    json["shape"] = {space.flat_size()};
    json["dtype"] = dtype_name(space.dtype());
    json["low"] = space.low();
    json["high"] = space.high();
  }
  return json;
}

core::Expected<nlohmann::json> environment_json(const Registration& registration) {
  auto made = make(registration.id);
  if (!made.ok()) return made.status();
  const EnvSpec& spec = (*made)->spec();
  return nlohmann::json{
      {"id", spec.id},
      {"summary", registration.summary},
      {"observation_space", space_json(spec.observation_space)},
      {"action_space", space_json(spec.action_space)},
      {"max_episode_steps", spec.max_episode_steps},
      {"reward_threshold",
       spec.reward_threshold ? nlohmann::json(*spec.reward_threshold) : nlohmann::json()}};
}

}  // namespace tars::env
