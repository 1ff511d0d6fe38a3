#include "tars/env/classic/mountain_car.h"

#include <cmath>

#include "tars/env/classic/math.h"

namespace tars::env::classic {

EnvSpec MountainCar::env_spec() {
  return EnvSpec{
      .id = "MountainCar-v0",
      .observation_space = Space::box({kMinPosition, -kMaxSpeed}, {kMaxPosition, kMaxSpeed}),
      .action_space = Space::discrete(3),
      .max_episode_steps = 200,
      .reward_threshold = -110.0};
}

MountainCar::MountainCar(double goal_velocity) : Env(env_spec()), goal_velocity_(goal_velocity) {}

core::Status MountainCar::reset_state(const ResetOptions& options) {
  auto bounds = reset_bounds(options, spec().id, kResetLow, kResetHigh);
  if (!bounds.ok()) return bounds.status();
  state_.position = np_random().uniform(bounds->first, bounds->second);
  state_.velocity = 0.0;
  state_.write_observation(observation_buffer());
  return {};
}

StepResult MountainCar::step_discrete(std::int64_t action) {
  auto& [position, velocity] = state_;
  valley::drive(position, velocity, static_cast<double>(action - 1) * kForce);
  state_.write_observation(observation_buffer());

  StepResult result;
  result.terminated = position >= kGoalPosition && velocity >= goal_velocity_;
  result.reward = -1.0;
  return result;
}

core::Expected<std::unique_ptr<Env>> make_mountain_car(const Kwargs& kwargs) {
  KwargReader reader(kwargs, "MountainCar-v0");
  const double goal_velocity = reader.get_number("goal_velocity", 0.0);
  if (core::Status status = reader.finish(); !status.ok()) return status;
  return std::unique_ptr<Env>(std::make_unique<MountainCar>(goal_velocity));
}

}  // namespace tars::env::classic
