#include "tars/rl/action_noise.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace tars::rl {

core::Expected<ActionNoiseType> parse_action_noise_type(std::string_view name) {
  if (name == "none") return ActionNoiseType::kNone;
  if (name == "normal") return ActionNoiseType::kNormal;
  if (name == "ornstein-uhlenbeck") return ActionNoiseType::kOrnsteinUhlenbeck;
  return core::invalid_argument(
      fmt::format("unknown noise type '{}' (expected none, normal or ornstein-uhlenbeck)", name));
}

const char* action_noise_type_name(ActionNoiseType type) {
  switch (type) {
    case ActionNoiseType::kNone:
      return "none";
    case ActionNoiseType::kNormal:
      return "normal";
    case ActionNoiseType::kOrnsteinUhlenbeck:
      return "ornstein-uhlenbeck";
  }
  return "none";
}

ActionNoise::ActionNoise(const ActionNoiseOptions& options)
    : options_(options),
      state_(
          static_cast<std::size_t>(options.n_envs) * static_cast<std::size_t>(options.action_dim),
          0.0) {}

core::Expected<ActionNoise> ActionNoise::make(const ActionNoiseOptions& options) {
  if (options.n_envs < 1 || options.action_dim < 1) {
    return core::invalid_argument(
        fmt::format("action noise: n_envs and action_dim must be positive, got {} and {}",
                    options.n_envs, options.action_dim));
  }
  if (!std::isfinite(options.mean) || !std::isfinite(options.sigma) || options.sigma < 0) {
    return core::invalid_argument(
        fmt::format("action noise: need a finite mean and sigma >= 0, got {} and {}", options.mean,
                    options.sigma));
  }
  if (!std::isfinite(options.theta) || options.theta < 0 || !std::isfinite(options.dt) ||
      !(options.dt > 0)) {
    return core::invalid_argument(fmt::format(
        "action noise: need theta >= 0 and dt > 0, got {} and {}", options.theta, options.dt));
  }
  return ActionNoise(options);
}

void ActionNoise::sample(core::Generator& rng, std::span<float> noise) {
  if (noise.size() != state_.size()) {
    throw std::invalid_argument("ActionNoise::sample: expected " + std::to_string(state_.size()) +
                                " values, got " + std::to_string(noise.size()));
  }
  const double mu = options_.mean;
  const double sigma = options_.sigma;
  switch (options_.type) {
    case ActionNoiseType::kNone:
      std::fill(noise.begin(), noise.end(), 0.0f);
      return;
    case ActionNoiseType::kNormal:
      for (float& value : noise) value = static_cast<float>(mu + sigma * rng.standard_normal());
      return;
    case ActionNoiseType::kOrnsteinUhlenbeck: {
      // Euler–Maruyama step of dx = θ (μ − x) dt + σ dW.
      const double theta_dt = options_.theta * options_.dt;
      const double diffusion = sigma * std::sqrt(options_.dt);
      for (std::size_t k = 0; k < state_.size(); ++k) {
        double& x = state_[k];
        x = x + theta_dt * (mu - x) + diffusion * rng.standard_normal();
        noise[k] = static_cast<float>(x);
      }
      return;
    }
  }
}

void ActionNoise::reset(int env) {
  if (env < 0 || env >= options_.n_envs) {
    throw std::invalid_argument("ActionNoise::reset: copy " + std::to_string(env) +
                                " out of range");
  }
  const auto dim = static_cast<std::size_t>(options_.action_dim);
  std::fill_n(state_.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(env) * dim),
              dim, 0.0);
}

void ActionNoise::reset() { std::fill(state_.begin(), state_.end(), 0.0); }

void ActionNoise::restore(std::span<const double> state) {
  if (state.size() != state_.size()) {
    throw std::invalid_argument("ActionNoise::restore: expected " + std::to_string(state_.size()) +
                                " values, got " + std::to_string(state.size()));
  }
  std::copy(state.begin(), state.end(), state_.begin());
}

}  // namespace tars::rl
