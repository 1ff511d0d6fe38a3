#include "tars/env/classic/cartpole.h"

#include <cmath>
#include <limits>
#include <vector>

#include "tars/env/classic/math.h"

namespace tars::env::classic {

EnvSpec CartPole::env_spec() {
  constexpr double kFloatMax = std::numeric_limits<float>::max();
  const std::vector<double> high = {kXThreshold * 2, kFloatMax, kThetaThresholdRadians * 2,
                                    kFloatMax};
  const std::vector<double> low = {-high[0], -high[1], -high[2], -high[3]};
  return EnvSpec{.id = "CartPole-v1",
                 .observation_space = Space::box(low, high),
                 .action_space = Space::discrete(2),
                 .max_episode_steps = 500,
                 .reward_threshold = 475.0};
}

CartPole::CartPole(bool sutton_barto_reward)
    : Env(env_spec()), sutton_barto_reward_(sutton_barto_reward) {}

core::Status CartPole::reset_state(const ResetOptions& options) {
  auto bounds = reset_bounds(options, spec().id, kResetLow, kResetHigh);
  if (!bounds.ok()) return bounds.status();
  const auto [low, high] = *bounds;
  core::Generator& rng = np_random();
  state_.x = rng.uniform(low, high);
  state_.x_dot = rng.uniform(low, high);
  state_.theta = rng.uniform(low, high);
  state_.theta_dot = rng.uniform(low, high);
  write_observation();
  return {};
}

StepResult CartPole::step_discrete(std::int64_t action) {
  auto& [x, x_dot, theta, theta_dot] = state_;
  const double force = action == 1 ? kForceMag : -kForceMag;
  const double costheta = std::cos(theta);
  const double sintheta = std::sin(theta);

  // Operation order as in cartpole.py, so every intermediate rounds the same way.
  const double temp = (force + kPoleMassLength * python_square(theta_dot) * sintheta) / kTotalMass;
  const double thetaacc =
      (kGravity * sintheta - costheta * temp) /
      (kLength * (4.0 / 3.0 - kMassPole * python_square(costheta) / kTotalMass));
  const double xacc = temp - kPoleMassLength * thetaacc * costheta / kTotalMass;

  x = x + kTau * x_dot;
  x_dot = x_dot + kTau * xacc;
  theta = theta + kTau * theta_dot;
  theta_dot = theta_dot + kTau * thetaacc;
  write_observation();

  StepResult result;
  result.terminated = x < -kXThreshold || x > kXThreshold || theta < -kThetaThresholdRadians ||
                      theta > kThetaThresholdRadians;
  if (sutton_barto_reward_) {
    result.reward = result.terminated ? -1.0 : 0.0;
  } else {
    result.reward = 1.0;  // also on the terminating step
  }
  return result;
}

void CartPole::write_observation() {
  float* obs = observation_buffer().data();
  obs[0] = static_cast<float>(state_.x);
  obs[1] = static_cast<float>(state_.x_dot);
  obs[2] = static_cast<float>(state_.theta);
  obs[3] = static_cast<float>(state_.theta_dot);
}

core::Expected<std::unique_ptr<Env>> make_cartpole(const Kwargs& kwargs) {
  KwargReader reader(kwargs, "CartPole-v1");
  const bool sutton_barto_reward = reader.get_bool("sutton_barto_reward", false);
  if (core::Status status = reader.finish(); !status.ok()) return status;
  return std::unique_ptr<Env>(std::make_unique<CartPole>(sutton_barto_reward));
}

}  // namespace tars::env::classic
