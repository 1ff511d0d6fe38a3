// Pendulum-v1 (gymnasium/envs/classic_control/pendulum.py): swing a pendulum up and keep it
// upright with a limited torque; never terminates, truncated after 200 steps.
#pragma once

#include <memory>
#include <span>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"

namespace tars::env::classic {

class Pendulum final : public Env {
 public:
  static constexpr double kPi = 3.141592653589793;
  static constexpr double kMaxSpeed = 8;
  static constexpr double kMaxTorque = 2.0;
  static constexpr double kDt = 0.05;
  static constexpr double kDefaultGravity = 10.0;
  static constexpr double kMass = 1.0;
  static constexpr double kLength = 1.0;
  static constexpr double kDefaultX = kPi;  // reset bound of theta (option x_init)
  static constexpr double kDefaultY = 1.0;  // reset bound of theta_dot (option y_init)

  struct State {
    double theta = 0.0;  // 0 is upright; never wrapped
    double theta_dot = 0.0;
  };

  // Box(-2, 2, (1,)) torque, 3 float32 observations, 200 steps, no reward threshold.
  static EnvSpec env_spec();

  // g: gravity in m/s^2.
  explicit Pendulum(double g = kDefaultGravity);

  const State& state() const { return state_; }

 private:
  core::Status reset_state(const ResetOptions& options) override;
  StepResult step_continuous(std::span<const float> action) override;
  void write_observation();

  double g_;
  State state_;
};

// gym.make("Pendulum-v1", g=...).
core::Expected<std::unique_ptr<Env>> make_pendulum(const Kwargs& kwargs);

}  // namespace tars::env::classic
