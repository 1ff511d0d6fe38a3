#include "tars/rl/rollout_buffer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <numeric>
#include <stdexcept>
#include <string>

#include "tars/core/memory.h"

namespace tars::rl {

using core::Status;

namespace {

Status size_error(std::string_view field, std::size_t got, std::size_t expected) {
  return core::invalid_argument(
      fmt::format("rollout buffer: {} has {} values, expected {}", field, got, expected));
}

}  // namespace

const RolloutMinibatch& RolloutMinibatches::Iterator::operator*() const {
  return buffer_->gather(index_);
}

std::uint64_t RolloutBuffer::storage_bytes(const RolloutBufferOptions& options) {
  if (options.n_steps <= 0 || options.n_envs <= 0) return 0;
  const core::Uint128 samples = core::Uint128{static_cast<std::uint64_t>(options.n_steps)} *
                                static_cast<std::uint64_t>(options.n_envs);
  const core::Uint128 action_bytes = options.discrete_actions
                                         ? sizeof(std::int64_t)
                                         : core::Uint128{options.action_size} * sizeof(float);
  // Rewards, episode starts, values, log-probs, advantages, returns and the permutation.
  constexpr std::uint64_t kScalarBytes = 6 * sizeof(float) + sizeof(std::int64_t);
  const core::Uint128 per_sample =
      core::Uint128{options.observation_size} * sizeof(float) + action_bytes + kScalarBytes;
  const core::Uint128 bytes = samples * per_sample;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  return bytes > kMax ? kMax : static_cast<std::uint64_t>(bytes);
}

RolloutBuffer::RolloutBuffer(const RolloutBufferOptions& options)
    : options_(options),
      num_samples_(static_cast<std::size_t>(options.n_steps) *
                   static_cast<std::size_t>(options.n_envs)) {}

core::Expected<RolloutBuffer> RolloutBuffer::make(const RolloutBufferOptions& options) {
  if (options.n_steps <= 0) {
    return core::invalid_argument(
        fmt::format("rollout buffer: n_steps must be > 0, got {}", options.n_steps));
  }
  if (options.n_envs <= 0) {
    return core::invalid_argument(
        fmt::format("rollout buffer: n_envs must be > 0, got {}", options.n_envs));
  }
  if (options.observation_size == 0) {
    return core::invalid_argument("rollout buffer: observation_size must be > 0");
  }
  if (!options.discrete_actions && options.action_size == 0) {
    return core::invalid_argument("rollout buffer: action_size must be > 0 for Box actions");
  }
  if (!(options.gamma >= 0.0 && options.gamma <= 1.0)) {
    return core::invalid_argument(
        fmt::format("rollout buffer: gamma must be in [0, 1], got {}", options.gamma));
  }
  if (!(options.gae_lambda >= 0.0 && options.gae_lambda <= 1.0)) {
    return core::invalid_argument(
        fmt::format("rollout buffer: gae_lambda must be in [0, 1], got {}", options.gae_lambda));
  }
  const std::string what =
      fmt::format("rollout buffer ({} steps x {} envs of {} observation floats)", options.n_steps,
                  options.n_envs, options.observation_size);
  if (Status status = core::check_allocation(what, storage_bytes(options)); !status.ok()) {
    return status;
  }
  RolloutBuffer buffer(options);
  const std::size_t n = buffer.num_samples_;
  try {
    buffer.observations_.resize(n * options.observation_size);
    if (options.discrete_actions) {
      buffer.discrete_actions_.resize(n);
    } else {
      buffer.continuous_actions_.resize(n * options.action_size);
    }
    for (std::vector<float>* column : {&buffer.rewards_, &buffer.episode_starts_, &buffer.values_,
                                       &buffer.log_probs_, &buffer.advantages_, &buffer.returns_}) {
      column->resize(n);
    }
    buffer.permutation_.resize(n);
  } catch (const std::bad_alloc&) {
    return core::out_of_range(
        fmt::format("{}: allocating {} failed", what, core::format_bytes(storage_bytes(options))));
  } catch (const std::length_error&) {
    return core::out_of_range(fmt::format("{}: too large to allocate", what));
  }
  return buffer;
}

Status RolloutBuffer::check_step(const RolloutStep& step) const {
  const auto n = static_cast<std::size_t>(options_.n_envs);
  const std::size_t obs = options_.observation_size;
  if (step.observations.size() != n * obs) {
    return size_error("observations", step.observations.size(), n * obs);
  }
  if (options_.discrete_actions) {
    if (step.discrete_actions.size() != n) {
      return size_error("discrete_actions", step.discrete_actions.size(), n);
    }
  } else if (step.continuous_actions.size() != n * options_.action_size) {
    return size_error("continuous_actions", step.continuous_actions.size(),
                      n * options_.action_size);
  }
  if (step.rewards.size() != n) return size_error("rewards", step.rewards.size(), n);
  if (step.episode_starts.size() != n) {
    return size_error("episode_starts", step.episode_starts.size(), n);
  }
  if (step.values.size() != n) return size_error("values", step.values.size(), n);
  if (step.log_probs.size() != n) return size_error("log_probs", step.log_probs.size(), n);
  if (step.truncated.empty()) return Status();
  if (step.truncated.size() != n) return size_error("truncated", step.truncated.size(), n);
  if (step.terminated.size() != n) return size_error("terminated", step.terminated.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    if (step.truncated[i] == 0 || step.terminated[i] != 0) continue;
    if (step.final_values.size() != n) {
      return core::invalid_argument(fmt::format(
          "rollout buffer: env {} was truncated, so final_values needs {} values (V of each "
          "truncated copy's final observation), got {}",
          i, n, step.final_values.size()));
    }
    if (!std::isfinite(step.final_values[i])) {
      return core::invalid_argument(
          fmt::format("rollout buffer: final_values[{}] is {}", i, step.final_values[i]));
    }
  }
  return Status();
}

Status RolloutBuffer::add(const RolloutStep& step) {
  if (full()) {
    return core::failed_precondition(
        fmt::format("rollout buffer: already holds {} steps; call reset() before the next rollout",
                    options_.n_steps));
  }
  if (Status status = check_step(step); !status.ok()) return status;
  const auto n = static_cast<std::size_t>(options_.n_envs);
  const std::size_t base = static_cast<std::size_t>(step_) * n;
  const std::size_t obs = options_.observation_size;
  std::copy(step.observations.begin(), step.observations.end(), observations_.data() + base * obs);
  if (options_.discrete_actions) {
    std::copy(step.discrete_actions.begin(), step.discrete_actions.end(),
              discrete_actions_.data() + base);
  } else {
    std::copy(step.continuous_actions.begin(), step.continuous_actions.end(),
              continuous_actions_.data() + base * options_.action_size);
  }
  for (std::size_t i = 0; i < n; ++i) {
    float reward = static_cast<float>(step.rewards[i]);
    if (!step.truncated.empty() && step.truncated[i] != 0 && step.terminated[i] == 0) {
      reward += static_cast<float>(options_.gamma) * step.final_values[i];
    }
    rewards_[base + i] = reward;
    episode_starts_[base + i] = step.episode_starts[i] != 0 ? 1.0f : 0.0f;
    values_[base + i] = step.values[i];
    log_probs_[base + i] = step.log_probs[i];
  }
  ++step_;
  computed_ = false;
  return Status();
}

Status RolloutBuffer::compute_returns_and_advantages(std::span<const float> last_values,
                                                     std::span<const std::uint8_t> last_dones) {
  const auto n = static_cast<std::size_t>(options_.n_envs);
  if (!full()) {
    return core::failed_precondition(
        fmt::format("rollout buffer: compute_returns_and_advantages() after {} of {} steps", step_,
                    options_.n_steps));
  }
  if (last_values.size() != n) return size_error("last_values", last_values.size(), n);
  if (last_dones.size() != n) return size_error("last_dones", last_dones.size(), n);
  const auto gamma = static_cast<float>(options_.gamma);
  // SB3 multiplies the Python floats γ·λ first, then NumPy rounds the product to float32.
  const auto gamma_lambda = static_cast<float>(options_.gamma * options_.gae_lambda);
  for (std::size_t env = 0; env < n; ++env) {
    float last_gae = 0.0f;
    for (int step = options_.n_steps - 1; step >= 0; --step) {
      const std::size_t i = static_cast<std::size_t>(step) * n + env;
      float next_non_terminal = 0.0f;
      float next_value = 0.0f;
      if (step == options_.n_steps - 1) {
        next_non_terminal = last_dones[env] != 0 ? 0.0f : 1.0f;
        next_value = last_values[env];
      } else {
        next_non_terminal = 1.0f - episode_starts_[i + n];
        next_value = values_[i + n];
      }
      // The association of SB3's NumPy expression: (r + (γ V') m) - V.
      const float delta = rewards_[i] + gamma * next_value * next_non_terminal - values_[i];
      last_gae = delta + gamma_lambda * next_non_terminal * last_gae;
      advantages_[i] = last_gae;
      returns_[i] = last_gae + values_[i];
    }
  }
  computed_ = true;
  return Status();
}

void RolloutBuffer::reset() {
  step_ = 0;
  computed_ = false;
}

core::Expected<RolloutMinibatches> RolloutBuffer::minibatches(std::size_t batch_size,
                                                              core::Generator& rng) {
  if (!computed_) {
    return core::failed_precondition(
        "rollout buffer: minibatches() before compute_returns_and_advantages() on a full "
        "rollout");
  }
  batch_size_ = batch_size == 0 ? num_samples_ : std::min(batch_size, num_samples_);
  std::iota(permutation_.begin(), permutation_.end(), std::int64_t{0});
  for (std::size_t i = num_samples_ - 1; i > 0; --i) {
    const auto j = static_cast<std::size_t>(rng.integers(0, static_cast<std::int64_t>(i) + 1));
    std::swap(permutation_[i], permutation_[j]);
  }
  return RolloutMinibatches(this, (num_samples_ + batch_size_ - 1) / batch_size_);
}

const RolloutMinibatch& RolloutBuffer::gather(std::size_t k) {
  const std::size_t begin = k * batch_size_;
  const std::size_t count = std::min(batch_size_, num_samples_ - begin);
  const std::size_t obs = options_.observation_size;
  const std::size_t act = options_.action_size;
  RolloutMinibatch& batch = minibatch_;
  batch.indices.assign(permutation_.data() + begin, permutation_.data() + begin + count);
  batch.observations.resize(count * obs);
  if (options_.discrete_actions) {
    batch.discrete_actions.resize(count);
  } else {
    batch.continuous_actions.resize(count * act);
  }
  for (std::vector<float>* column :
       {&batch.values, &batch.log_probs, &batch.advantages, &batch.returns}) {
    column->resize(count);
  }
  for (std::size_t row = 0; row < count; ++row) {
    const auto i = static_cast<std::size_t>(batch.indices[row]);
    std::copy_n(observations_.data() + i * obs, obs, batch.observations.data() + row * obs);
    if (options_.discrete_actions) {
      batch.discrete_actions[row] = discrete_actions_[i];
    } else {
      std::copy_n(continuous_actions_.data() + i * act, act,
                  batch.continuous_actions.data() + row * act);
    }
    batch.values[row] = values_[i];
    batch.log_probs[row] = log_probs_[i];
    batch.advantages[row] = advantages_[i];
    batch.returns[row] = returns_[i];
  }
  return batch;
}

}  // namespace tars::rl
