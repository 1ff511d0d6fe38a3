// MountainCar-v0 (gymnasium/envs/classic_control/mountain_car.py): an under-powered car in a
// valley must rock back and forth to reach the flag on the right hill; -1 per step.
#pragma once

#include <cstdint>
#include <memory>

#include "tars/core/status.h"
#include "tars/env/classic/mountain_valley.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"

namespace tars::env::classic {

class MountainCar final : public Env {
 public:
  static constexpr double kMinPosition = valley::kMinPosition;
  static constexpr double kMaxPosition = valley::kMaxPosition;
  static constexpr double kMaxSpeed = valley::kMaxSpeed;
  static constexpr double kGoalPosition = 0.5;
  static constexpr double kForce = 0.001;
  static constexpr double kGravity = valley::kGravity;
  static constexpr double kResetLow = valley::kResetLow;
  static constexpr double kResetHigh = valley::kResetHigh;

  using State = valley::State;

  // Discrete(3) (left, none, right), 2 float32 observations, 200 steps, solved at -110.
  static EnvSpec env_spec();

  // goal_velocity: the minimum velocity at the goal position that ends the episode.
  explicit MountainCar(double goal_velocity = 0.0);

  const State& state() const { return state_; }

 private:
  core::Status reset_state(const ResetOptions& options) override;
  StepResult step_discrete(std::int64_t action) override;

  double goal_velocity_;
  State state_;
};

// gym.make("MountainCar-v0", goal_velocity=...).
core::Expected<std::unique_ptr<Env>> make_mountain_car(const Kwargs& kwargs);

}  // namespace tars::env::classic
