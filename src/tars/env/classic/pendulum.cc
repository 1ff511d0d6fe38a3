#include "tars/env/classic/pendulum.h"

#include <cmath>

#include "tars/env/classic/math.h"

namespace tars::env::classic {

namespace {

// ((x + pi) % (2 pi)) - pi with Python's modulo: the angle in [-pi, pi).
double angle_normalize(double x) {
  return python_mod(x + Pendulum::kPi, 2 * Pendulum::kPi) - Pendulum::kPi;
}

}  // namespace

EnvSpec Pendulum::env_spec() {
  return EnvSpec{.id = "Pendulum-v1",
                 .observation_space = Space::box({-1.0, -1.0, -kMaxSpeed}, {1.0, 1.0, kMaxSpeed}),
                 .action_space = Space::box({-kMaxTorque}, {kMaxTorque}),
                 .max_episode_steps = 200,
                 .reward_threshold = std::nullopt};
}

Pendulum::Pendulum(double g) : Env(env_spec()), g_(g) {}

core::Status Pendulum::reset_state(const ResetOptions& options) {
  if (core::Status status = check_option_names(options, spec().id, {"x_init", "y_init"});
      !status.ok()) {
    return status;
  }
  const auto x_it = options.find("x_init");
  const auto y_it = options.find("y_init");
  // Symmetric bounds [-x, x] and [-y, y], drawn in this order by one uniform(low, high) call.
  const double x = x_it == options.end() ? kDefaultX : x_it->second;
  const double y = y_it == options.end() ? kDefaultY : y_it->second;
  core::Generator& rng = np_random();
  state_.theta = rng.uniform(-x, x);
  state_.theta_dot = rng.uniform(-y, y);
  write_observation();
  return {};
}

// NumPy 1.24 promotes the float32 torque to float64 in every expression that mixes it with
// Python floats, so the whole update runs in double.
StepResult Pendulum::step_continuous(std::span<const float> action) {
  const double th = state_.theta;
  const double thdot = state_.theta_dot;
  const double u = clip(action[0], -kMaxTorque, kMaxTorque);
  // The cost uses the state before the update.
  const double costs =
      python_square(angle_normalize(th)) + 0.1 * python_square(thdot) + 0.001 * (u * u);

  double newthdot =
      thdot +
      (3 * g_ / (2 * kLength) * std::sin(th) + 3.0 / (kMass * (kLength * kLength)) * u) * kDt;
  newthdot = clip(newthdot, -kMaxSpeed, kMaxSpeed);
  state_.theta = th + newthdot * kDt;
  state_.theta_dot = newthdot;
  write_observation();

  StepResult result;
  result.reward = -costs;
  return result;
}

void Pendulum::write_observation() {
  float* obs = observation_buffer().data();
  obs[0] = static_cast<float>(std::cos(state_.theta));
  obs[1] = static_cast<float>(std::sin(state_.theta));
  obs[2] = static_cast<float>(state_.theta_dot);
}

core::Expected<std::unique_ptr<Env>> make_pendulum(const Kwargs& kwargs) {
  KwargReader reader(kwargs, "Pendulum-v1");
  const double g = reader.get_number("g", Pendulum::kDefaultGravity);
  if (core::Status status = reader.finish(); !status.ok()) return status;
  return std::unique_ptr<Env>(std::make_unique<Pendulum>(g));
}

}  // namespace tars::env::classic
