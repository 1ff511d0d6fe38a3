// Acrobot-v1 (gymnasium/envs/classic_control/acrobot.py): a two-link pendulum actuated at the
// middle joint; swing the free end above the bar. Dynamics from Sutton & Barto (the "book"
// equations), one RK4 step of 0.2 s per action.
#pragma once

#include <cstdint>
#include <memory>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"

namespace tars::env::classic {

class Acrobot final : public Env {
 public:
  static constexpr double kPi = 3.141592653589793;
  static constexpr double kDt = 0.2;
  static constexpr double kLinkLength1 = 1.0;
  static constexpr double kLinkLength2 = 1.0;
  static constexpr double kLinkMass1 = 1.0;
  static constexpr double kLinkMass2 = 1.0;
  static constexpr double kLinkComPos1 = 0.5;  // centre of mass of link 1
  static constexpr double kLinkComPos2 = 0.5;
  static constexpr double kLinkMoi = 1.0;  // moment of inertia of both links
  static constexpr double kGravity = 9.8;
  static constexpr double kMaxVel1 = 4 * kPi;
  static constexpr double kMaxVel2 = 9 * kPi;
  static constexpr double kAvailTorque[3] = {-1.0, 0.0, 1.0};
  static constexpr double kResetLow = -0.1;
  static constexpr double kResetHigh = 0.1;

  struct State {
    double theta1 = 0.0;
    double theta2 = 0.0;  // relative to link 1
    double dtheta1 = 0.0;
    double dtheta2 = 0.0;
  };

  // Discrete(3) torques, 6 float32 observations, 500 steps, solved at -100.
  static EnvSpec env_spec();

  Acrobot();

  const State& state() const { return state_; }

 private:
  core::Status reset_state(const ResetOptions& options) override;
  StepResult step_discrete(std::int64_t action) override;
  void write_observation();

  State state_;
};

// gym.make("Acrobot-v1"); takes no kwargs.
core::Expected<std::unique_ptr<Env>> make_acrobot(const Kwargs& kwargs);

}  // namespace tars::env::classic
