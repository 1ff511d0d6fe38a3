#include "tars/env/classic/continuous_mountain_car.h"

#include <cmath>

#include "tars/env/classic/math.h"

namespace tars::env::classic {

EnvSpec ContinuousMountainCar::env_spec() {
  return EnvSpec{
      .id = "MountainCarContinuous-v0",
      .observation_space = Space::box({kMinPosition, -kMaxSpeed}, {kMaxPosition, kMaxSpeed}),
      .action_space = Space::box({kMinAction}, {kMaxAction}),
      .max_episode_steps = 999,
      .reward_threshold = 90.0};
}

ContinuousMountainCar::ContinuousMountainCar(double goal_velocity)
    : Env(env_spec()), goal_velocity_(goal_velocity) {}

core::Status ContinuousMountainCar::reset_state(const ResetOptions& options) {
  auto bounds = reset_bounds(options, spec().id, kResetLow, kResetHigh);
  if (!bounds.ok()) return bounds.status();
  state_.position = np_random().uniform(bounds->first, bounds->second);
  state_.velocity = 0.0;
  state_.write_observation(observation_buffer());
  return {};
}

// NumPy 1.24 promotes float32 scalars mixed with Python floats to float64, so the update runs in
// double on the float32 action and the float32-rounded state.
StepResult ContinuousMountainCar::step_continuous(std::span<const float> action) {
  const double a = action[0];
  double position = state_.position;
  double velocity = state_.velocity;
  const double force = clip(a, kMinAction, kMaxAction);

  // v + p - g * cos(3x) rounds exactly as v + p + cos(3x) * (-g): negation is exact.
  valley::drive(position, velocity, force * kPower);

  StepResult result;
  result.terminated = position >= kGoalPosition && velocity >= goal_velocity_;
  // The cost uses the unclipped action; math.pow(a, 2) of a float32 is exact in double.
  result.reward = (result.terminated ? kGoalReward : 0.0) - a * a * kActionCost;

  state_.position = static_cast<float>(position);
  state_.velocity = static_cast<float>(velocity);
  state_.write_observation(observation_buffer());
  return result;
}

core::Expected<std::unique_ptr<Env>> make_continuous_mountain_car(const Kwargs& kwargs) {
  KwargReader reader(kwargs, "MountainCarContinuous-v0");
  const double goal_velocity = reader.get_number("goal_velocity", 0.0);
  if (core::Status status = reader.finish(); !status.ok()) return status;
  return std::unique_ptr<Env>(std::make_unique<ContinuousMountainCar>(goal_velocity));
}

}  // namespace tars::env::classic
