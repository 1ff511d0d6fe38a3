// CartPole-v1 (gymnasium/envs/classic_control/cartpole.py): balance a pole on a cart pushed left
// or right; +1 per step until the pole tilts past 12 degrees or the cart leaves the track.
#pragma once

#include <cstdint>
#include <memory>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"

namespace tars::env::classic {

class CartPole final : public Env {
 public:
  static constexpr double kGravity = 9.8;
  static constexpr double kMassCart = 1.0;
  static constexpr double kMassPole = 0.1;
  static constexpr double kTotalMass = kMassPole + kMassCart;
  static constexpr double kLength = 0.5;  // half the pole's length
  static constexpr double kPoleMassLength = kMassPole * kLength;
  static constexpr double kForceMag = 10.0;
  static constexpr double kTau = 0.02;  // seconds between state updates (Euler integrator)
  static constexpr double kPi = 3.141592653589793;
  static constexpr double kThetaThresholdRadians = 12 * 2 * kPi / 360;
  static constexpr double kXThreshold = 2.4;
  static constexpr double kResetLow = -0.05;
  static constexpr double kResetHigh = 0.05;

  struct State {
    double x = 0.0;
    double x_dot = 0.0;
    double theta = 0.0;
    double theta_dot = 0.0;
  };

  // Discrete(2), 4 float32 observations, 500 steps, solved at 475.
  static EnvSpec env_spec();

  // sutton_barto_reward: 0 per step and -1 on termination instead of +1 per step.
  explicit CartPole(bool sutton_barto_reward = false);

  const State& state() const { return state_; }

 private:
  core::Status reset_state(const ResetOptions& options) override;
  StepResult step_discrete(std::int64_t action) override;
  void write_observation();

  bool sutton_barto_reward_;
  State state_;
};

// gym.make("CartPole-v1", sutton_barto_reward=...).
core::Expected<std::unique_ptr<Env>> make_cartpole(const Kwargs& kwargs);

}  // namespace tars::env::classic
