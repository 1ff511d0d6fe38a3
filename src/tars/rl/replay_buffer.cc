#include "tars/rl/replay_buffer.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <new>
#include <stdexcept>

#include "tars/core/memory.h"

namespace tars::rl {

using core::Status;

namespace {

std::uint64_t saturate(core::Uint128 bytes) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  return bytes > kMax ? kMax : static_cast<std::uint64_t>(bytes);
}

Status size_error(std::string_view field, std::size_t got, std::size_t expected) {
  return core::invalid_argument(
      fmt::format("replay buffer: {} has {} values, expected {}", field, got, expected));
}

}  // namespace

std::uint64_t ReplayBuffer::storage_bytes(const ReplayBufferOptions& options) {
  const core::Uint128 action_bytes = options.discrete_actions
                                         ? sizeof(std::int64_t)
                                         : core::Uint128{options.action_size} * sizeof(float);
  constexpr std::uint64_t kRewardAndTerminatedBytes = 2 * sizeof(float);
  // observation + next observation + action + reward + terminated
  const core::Uint128 per_transition = core::Uint128{options.observation_size} * 2 * sizeof(float) +
                                       action_bytes + kRewardAndTerminatedBytes;
  return saturate(core::Uint128{options.capacity} * per_transition);
}

core::Expected<ReplayBuffer> ReplayBuffer::make(const ReplayBufferOptions& options) {
  if (options.capacity == 0) return core::invalid_argument("replay buffer: capacity must be > 0");
  if (options.observation_size == 0) {
    return core::invalid_argument("replay buffer: observation_size must be > 0");
  }
  if (!options.discrete_actions && options.action_size == 0) {
    return core::invalid_argument("replay buffer: action_size must be > 0 for Box actions");
  }
  const std::string what =
      fmt::format("replay buffer (capacity {} transitions of {} observation floats, {})",
                  options.capacity, options.observation_size,
                  options.discrete_actions ? std::string("a discrete action")
                                           : fmt::format("{} action floats", options.action_size));
  if (Status status = core::check_allocation(what, storage_bytes(options)); !status.ok()) {
    return status;
  }
  ReplayBuffer buffer(options);
  try {
    const std::size_t observation_floats = options.capacity * options.observation_size;
    buffer.observations_.resize(observation_floats);
    buffer.next_observations_.resize(observation_floats);
    if (options.discrete_actions) {
      buffer.discrete_actions_.resize(options.capacity);
    } else {
      buffer.continuous_actions_.resize(options.capacity * options.action_size);
    }
    buffer.rewards_.resize(options.capacity);
    buffer.terminated_.resize(options.capacity);
  } catch (const std::bad_alloc&) {
    return core::out_of_range(
        fmt::format("{}: allocating {} failed", what, core::format_bytes(storage_bytes(options))));
  } catch (const std::length_error&) {
    return core::out_of_range(fmt::format("{}: too large to allocate", what));
  }
  return buffer;
}

Status ReplayBuffer::check_batch(const TransitionBatch& batch) const {
  const std::size_t n = batch.rewards.size();
  const std::size_t obs = options_.observation_size;
  if (batch.observations.size() != n * obs) {
    return size_error("observations", batch.observations.size(), n * obs);
  }
  if (batch.next_observations.size() != n * obs) {
    return size_error("next_observations", batch.next_observations.size(), n * obs);
  }
  if (batch.terminated.size() != n) return size_error("terminated", batch.terminated.size(), n);
  if (options_.discrete_actions) {
    if (batch.discrete_actions.size() != n) {
      return size_error("discrete_actions", batch.discrete_actions.size(), n);
    }
  } else if (batch.continuous_actions.size() != n * options_.action_size) {
    return size_error("continuous_actions", batch.continuous_actions.size(),
                      n * options_.action_size);
  }
  return Status();
}

void ReplayBuffer::write(const float* observation, const float* next_observation, double reward,
                         bool terminated) {
  const std::size_t obs = options_.observation_size;
  std::copy_n(observation, obs, observations_.data() + position_ * obs);
  std::copy_n(next_observation, obs, next_observations_.data() + position_ * obs);
  rewards_[position_] = static_cast<float>(reward);
  terminated_[position_] = terminated ? 1.0f : 0.0f;
  position_ = position_ + 1 == options_.capacity ? 0 : position_ + 1;
  size_ = std::min(size_ + 1, options_.capacity);
  ++num_added_;
}

void ReplayBuffer::write_action(std::int64_t action) { discrete_actions_[position_] = action; }

void ReplayBuffer::write_action(const float* action) {
  std::copy_n(action, options_.action_size,
              continuous_actions_.data() + position_ * options_.action_size);
}

Status ReplayBuffer::add(const TransitionBatch& batch) {
  if (Status status = check_batch(batch); !status.ok()) return status;
  const std::size_t obs = options_.observation_size;
  for (std::size_t i = 0; i < batch.rewards.size(); ++i) {
    if (options_.discrete_actions) {
      write_action(batch.discrete_actions[i]);
    } else {
      write_action(batch.continuous_actions.data() + i * options_.action_size);
    }
    write(batch.observations.data() + i * obs, batch.next_observations.data() + i * obs,
          batch.rewards[i], batch.terminated[i] != 0);
  }
  return Status();
}

Status ReplayBuffer::add(std::span<const float> observation, std::int64_t action, double reward,
                         std::span<const float> next_observation, bool terminated) {
  if (!options_.discrete_actions) {
    return core::invalid_argument("replay buffer: got a discrete action for Box actions");
  }
  const std::uint8_t flag = terminated ? 1 : 0;
  return add(TransitionBatch{.observations = observation,
                             .discrete_actions = {&action, 1},
                             .continuous_actions = {},
                             .rewards = {&reward, 1},
                             .next_observations = next_observation,
                             .terminated = {&flag, 1}});
}

Status ReplayBuffer::add(std::span<const float> observation, std::span<const float> action,
                         double reward, std::span<const float> next_observation, bool terminated) {
  if (options_.discrete_actions) {
    return core::invalid_argument("replay buffer: got a Box action for discrete actions");
  }
  const std::uint8_t flag = terminated ? 1 : 0;
  return add(TransitionBatch{.observations = observation,
                             .discrete_actions = {},
                             .continuous_actions = action,
                             .rewards = {&reward, 1},
                             .next_observations = next_observation,
                             .terminated = {&flag, 1}});
}

Status ReplayBuffer::check_vector_env(std::span<const float> observations, std::size_t num_actions,
                                      const env::VectorEnv& env) const {
  if (env.autoreset_mode() != env::AutoresetMode::kSameStep) {
    return core::invalid_argument(
        "replay buffer: adding from a VectorEnv needs same-step autoreset (in next-step mode the "
        "step after an episode end is a reset, not a transition)");
  }
  if (env.observation_size() != options_.observation_size) {
    return size_error("the VectorEnv's observation", env.observation_size(),
                      options_.observation_size);
  }
  const auto n = static_cast<std::size_t>(env.num_envs());
  if (observations.size() != n * options_.observation_size) {
    return size_error("observations", observations.size(), n * options_.observation_size);
  }
  const std::size_t per_env = options_.discrete_actions ? 1 : options_.action_size;
  if (num_actions != n * per_env) return size_error("actions", num_actions, n * per_env);
  return Status();
}

Status ReplayBuffer::add(std::span<const float> observations, std::span<const std::int64_t> actions,
                         const env::VectorEnv& env) {
  if (!options_.discrete_actions) {
    return core::invalid_argument("replay buffer: got discrete actions for Box actions");
  }
  if (Status status = check_vector_env(observations, actions.size(), env); !status.ok()) {
    return status;
  }
  const std::size_t obs = options_.observation_size;
  for (int i = 0; i < env.num_envs(); ++i) {
    const std::span<const float> next =
        env.has_final_observation(i) ? env.final_observation(i) : env.observation(i);
    write_action(actions[i]);
    write(observations.data() + i * obs, next.data(), env.rewards()[i], env.terminated()[i] != 0);
  }
  return Status();
}

Status ReplayBuffer::add(std::span<const float> observations, std::span<const float> actions,
                         const env::VectorEnv& env) {
  if (options_.discrete_actions) {
    return core::invalid_argument("replay buffer: got Box actions for discrete actions");
  }
  if (Status status = check_vector_env(observations, actions.size(), env); !status.ok()) {
    return status;
  }
  const std::size_t obs = options_.observation_size;
  for (int i = 0; i < env.num_envs(); ++i) {
    const std::span<const float> next =
        env.has_final_observation(i) ? env.final_observation(i) : env.observation(i);
    write_action(actions.data() + i * options_.action_size);
    write(observations.data() + i * obs, next.data(), env.rewards()[i], env.terminated()[i] != 0);
  }
  return Status();
}

Status ReplayBuffer::sample(std::size_t batch_size, core::Generator& rng,
                            ReplayBatch& batch) const {
  if (size_ == 0) return core::failed_precondition("replay buffer: sample() on an empty buffer");
  if (batch_size == 0) return core::invalid_argument("replay buffer: batch_size must be > 0");
  batch.indices.resize(batch_size);
  for (std::int64_t& index : batch.indices) {
    index = rng.integers(0, static_cast<std::int64_t>(size_));
  }
  gather(batch);
  batch.weights.assign(batch_size, 1.0f);
  return Status();
}

void ReplayBuffer::gather(ReplayBatch& batch) const {
  const std::size_t n = batch.indices.size();
  const std::size_t obs = options_.observation_size;
  const std::size_t act = options_.action_size;
  batch.observations.resize(n * obs);
  batch.next_observations.resize(n * obs);
  if (options_.discrete_actions) {
    batch.discrete_actions.resize(n);
  } else {
    batch.continuous_actions.resize(n * act);
  }
  batch.rewards.resize(n);
  batch.terminated.resize(n);
  for (std::size_t row = 0; row < n; ++row) {
    const auto slot = static_cast<std::size_t>(batch.indices[row]);
    std::copy_n(observations_.data() + slot * obs, obs, batch.observations.data() + row * obs);
    std::copy_n(next_observations_.data() + slot * obs, obs,
                batch.next_observations.data() + row * obs);
    if (options_.discrete_actions) {
      batch.discrete_actions[row] = discrete_actions_[slot];
    } else {
      std::copy_n(continuous_actions_.data() + slot * act, act,
                  batch.continuous_actions.data() + row * act);
    }
    batch.rewards[row] = rewards_[slot];
    batch.terminated[row] = terminated_[slot];
  }
}

}  // namespace tars::rl
