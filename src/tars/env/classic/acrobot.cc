#include "tars/env/classic/acrobot.h"

#include <array>
#include <cmath>
#include <vector>

#include "tars/env/classic/math.h"

namespace tars::env::classic {

namespace {

using Vec4 = std::array<double, 4>;

// Acrobot._dsdt for the "book" dynamics: (dθ1, dθ2, ddθ1, ddθ2) at state s under torque a.
// Constants are grouped exactly as Python evaluates the expressions, left to right.
Vec4 dsdt(const Vec4& s, double a) {
  constexpr double m1 = Acrobot::kLinkMass1;
  constexpr double m2 = Acrobot::kLinkMass2;
  constexpr double l1 = Acrobot::kLinkLength1;
  constexpr double lc1 = Acrobot::kLinkComPos1;
  constexpr double lc2 = Acrobot::kLinkComPos2;
  constexpr double i1 = Acrobot::kLinkMoi;
  constexpr double i2 = Acrobot::kLinkMoi;
  constexpr double g = Acrobot::kGravity;
  constexpr double pi = Acrobot::kPi;
  const double theta1 = s[0];
  const double theta2 = s[1];
  const double dtheta1 = s[2];
  const double dtheta2 = s[3];
  const double cos2 = std::cos(theta2);
  const double sin2 = std::sin(theta2);

  const double d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos2) + i1 + i2;
  const double d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos2) + i2;
  const double phi2 = m2 * lc2 * g * std::cos(theta1 + theta2 - pi / 2.0);
  const double phi1 = -m2 * l1 * lc2 * python_square(dtheta2) * sin2 -
                      2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2 +
                      (m1 * lc1 + m2 * l1) * g * std::cos(theta1 - pi / 2) + phi2;
  const double ddtheta2 =
      (a + d2 / d1 * phi1 - m2 * l1 * lc2 * python_square(dtheta1) * sin2 - phi2) /
      (m2 * (lc2 * lc2) + i2 - python_square(d2) / d1);
  const double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return {dtheta1, dtheta2, ddtheta1, ddtheta2};
}

// rk4() over t = [0, dt]: one classic Runge-Kutta step; the torque is constant (its derivative
// in the augmented state is 0).
Vec4 rk4_step(const Vec4& y0, double a) {
  constexpr double dt = Acrobot::kDt;
  constexpr double dt2 = dt / 2.0;
  auto shifted = [&y0](double h, const Vec4& k) {
    return Vec4{y0[0] + h * k[0], y0[1] + h * k[1], y0[2] + h * k[2], y0[3] + h * k[3]};
  };
  const Vec4 k1 = dsdt(y0, a);
  const Vec4 k2 = dsdt(shifted(dt2, k1), a);
  const Vec4 k3 = dsdt(shifted(dt2, k2), a);
  const Vec4 k4 = dsdt(shifted(dt, k3), a);
  Vec4 y;
  for (std::size_t i = 0; i < 4; ++i) {
    y[i] = y0[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  return y;
}

}  // namespace

EnvSpec Acrobot::env_spec() {
  const std::vector<double> high = {1.0, 1.0, 1.0, 1.0, kMaxVel1, kMaxVel2};
  std::vector<double> low(high.size());
  for (std::size_t i = 0; i < high.size(); ++i) low[i] = -high[i];
  return EnvSpec{.id = "Acrobot-v1",
                 .observation_space = Space::box(low, high),
                 .action_space = Space::discrete(3),
                 .max_episode_steps = 500,
                 .reward_threshold = -100.0};
}

Acrobot::Acrobot() : Env(env_spec()) {}

core::Status Acrobot::reset_state(const ResetOptions& options) {
  auto bounds = reset_bounds(options, spec().id, kResetLow, kResetHigh);
  if (!bounds.ok()) return bounds.status();
  const double low = bounds->first;
  const double high = bounds->second;
  core::Generator& rng = np_random();
  // Gymnasium casts the initial state to float32 (`.astype(np.float32)`).
  auto draw = [&] { return static_cast<double>(static_cast<float>(rng.uniform(low, high))); };
  state_.theta1 = draw();
  state_.theta2 = draw();
  state_.dtheta1 = draw();
  state_.dtheta2 = draw();
  write_observation();
  return {};
}

StepResult Acrobot::step_discrete(std::int64_t action) {
  const double torque = kAvailTorque[action];
  Vec4 next = rk4_step({state_.theta1, state_.theta2, state_.dtheta1, state_.dtheta2}, torque);
  state_.theta1 = wrap(next[0], -kPi, kPi);
  state_.theta2 = wrap(next[1], -kPi, kPi);
  state_.dtheta1 = clip(next[2], -kMaxVel1, kMaxVel1);
  state_.dtheta2 = clip(next[3], -kMaxVel2, kMaxVel2);
  write_observation();

  StepResult result;
  result.terminated = -std::cos(state_.theta1) - std::cos(state_.theta2 + state_.theta1) > 1.0;
  result.reward = result.terminated ? 0.0 : -1.0;
  return result;
}

// After reset NumPy evaluates cos/sin of the float32 state in float32; rounding the double result
// agrees with it bit for bit on every reference file.
void Acrobot::write_observation() {
  float* obs = observation_buffer().data();
  obs[0] = static_cast<float>(std::cos(state_.theta1));
  obs[1] = static_cast<float>(std::sin(state_.theta1));
  obs[2] = static_cast<float>(std::cos(state_.theta2));
  obs[3] = static_cast<float>(std::sin(state_.theta2));
  obs[4] = static_cast<float>(state_.dtheta1);
  obs[5] = static_cast<float>(state_.dtheta2);
}

core::Expected<std::unique_ptr<Env>> make_acrobot(const Kwargs& kwargs) {
  KwargReader reader(kwargs, "Acrobot-v1");
  if (core::Status status = reader.finish(); !status.ok()) return status;
  return std::unique_ptr<Env>(std::make_unique<Acrobot>());
}

}  // namespace tars::env::classic
