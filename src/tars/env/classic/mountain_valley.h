// The valley both mountain cars drive in (mountain_car.py, continuous_mountain_car.py): its
// bounds, gravity along the hill, and the inelastic wall on the left.
#pragma once

#include <cmath>
#include <span>

#include "tars/env/classic/math.h"

namespace tars::env::classic::valley {

constexpr double kMinPosition = -1.2;
constexpr double kMaxPosition = 0.6;
constexpr double kMaxSpeed = 0.07;
constexpr double kGravity = 0.0025;
constexpr double kResetLow = -0.6;  // reset draws position ~ U(kResetLow, kResetHigh)
constexpr double kResetHigh = -0.4;

// Where the car is; Gymnasium keeps it as float64 (MountainCarContinuous rounds it to float32
// after every step).
struct State {
  double position = 0.0;
  double velocity = 0.0;

  void write_observation(std::span<float> obs) const {
    obs[0] = static_cast<float>(position);
    obs[1] = static_cast<float>(velocity);
  }
};

// One step of the car given the engine's velocity change `push`; the operation order is
// Gymnasium's, so every intermediate rounds the same way.
inline void drive(double& position, double& velocity, double push) {
  velocity += push + std::cos(3 * position) * (-kGravity);
  velocity = clip(velocity, -kMaxSpeed, kMaxSpeed);
  position += velocity;
  position = clip(position, kMinPosition, kMaxPosition);
  if (position == kMinPosition && velocity < 0) velocity = 0.0;
}

}  // namespace tars::env::classic::valley
