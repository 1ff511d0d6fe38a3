// MountainCarContinuous-v0 (gymnasium/envs/classic_control/continuous_mountain_car.py): the
// mountain car with a continuous force; +100 at the flag minus 0.1 * action^2 per step.
#pragma once

#include <memory>
#include <span>

#include "tars/core/status.h"
#include "tars/env/classic/mountain_valley.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"

namespace tars::env::classic {

class ContinuousMountainCar final : public Env {
 public:
  static constexpr double kMinAction = -1.0;
  static constexpr double kMaxAction = 1.0;
  static constexpr double kMinPosition = valley::kMinPosition;
  static constexpr double kMaxPosition = valley::kMaxPosition;
  static constexpr double kMaxSpeed = valley::kMaxSpeed;
  static constexpr double kGoalPosition = 0.45;
  static constexpr double kPower = 0.0015;
  static constexpr double kGravity = valley::kGravity;
  static constexpr double kGoalReward = 100.0;
  static constexpr double kActionCost = 0.1;
  static constexpr double kResetLow = valley::kResetLow;
  static constexpr double kResetHigh = valley::kResetHigh;

  using State = valley::State;

  // Box(-1, 1, (1,)) force, 2 float32 observations, 999 steps, solved at 90.
  static EnvSpec env_spec();

  // goal_velocity: the minimum velocity at the goal position that ends the episode.
  explicit ContinuousMountainCar(double goal_velocity = 0.0);

  const State& state() const { return state_; }

 private:
  core::Status reset_state(const ResetOptions& options) override;
  StepResult step_continuous(std::span<const float> action) override;

  double goal_velocity_;
  State state_;
};

// gym.make("MountainCarContinuous-v0", goal_velocity=...).
core::Expected<std::unique_ptr<Env>> make_continuous_mountain_car(const Kwargs& kwargs);

}  // namespace tars::env::classic
