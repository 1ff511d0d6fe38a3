#include "tars/rl/prioritized_replay_buffer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <stdexcept>
#include <utility>

#include "tars/core/memory.h"

namespace tars::rl {

using core::Status;

core::Expected<PrioritizedReplayBuffer> PrioritizedReplayBuffer::make(
    const ReplayBufferOptions& buffer_options, const PrioritizedReplayOptions& options) {
  if (!(options.alpha >= 0.0) || !std::isfinite(options.alpha)) {
    return core::invalid_argument(
        fmt::format("prioritized replay: alpha must be finite and >= 0, got {}", options.alpha));
  }
  if (!(options.beta0 >= 0.0 && options.beta0 <= 1.0)) {
    return core::invalid_argument(
        fmt::format("prioritized replay: beta0 must be in [0, 1], got {}", options.beta0));
  }
  if (options.beta_annealing_steps < 0) {
    return core::invalid_argument(
        fmt::format("prioritized replay: beta_annealing_steps must be >= 0, got {}",
                    options.beta_annealing_steps));
  }
  if (!(options.epsilon > 0.0) || !std::isfinite(options.epsilon)) {
    return core::invalid_argument(
        fmt::format("prioritized replay: epsilon must be finite and > 0, got {}", options.epsilon));
  }
  // The storage and the tree together, before either is allocated.
  const std::uint64_t storage = ReplayBuffer::storage_bytes(buffer_options);
  const std::uint64_t tree = SumTree::storage_bytes(buffer_options.capacity);
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t total = storage > kMax - tree ? kMax : storage + tree;
  if (buffer_options.capacity > 0) {
    const std::string what =
        fmt::format("prioritized replay buffer (capacity {} transitions)", buffer_options.capacity);
    if (Status status = core::check_allocation(what, total); !status.ok()) return status;
  }
  core::Expected<ReplayBuffer> buffer = ReplayBuffer::make(buffer_options);
  if (!buffer) return buffer.status();
  try {
    return PrioritizedReplayBuffer(std::move(buffer).value(), options);
  } catch (const std::bad_alloc&) {
    return core::out_of_range(
        fmt::format("prioritized replay buffer: allocating the sum tree ({}) failed",
                    core::format_bytes(tree)));
  } catch (const std::length_error&) {
    return core::out_of_range("prioritized replay buffer: the sum tree is too large to allocate");
  }
}

PrioritizedReplayBuffer::PrioritizedReplayBuffer(ReplayBuffer buffer,
                                                 const PrioritizedReplayOptions& options)
    : buffer_(std::move(buffer)), options_(options), tree_(buffer_.capacity()) {}

double PrioritizedReplayBuffer::beta(std::int64_t step) const {
  if (options_.beta_annealing_steps == 0) return 1.0;
  const double fraction = std::clamp(
      static_cast<double>(step) / static_cast<double>(options_.beta_annealing_steps), 0.0, 1.0);
  return options_.beta0 + (1.0 - options_.beta0) * fraction;
}

void PrioritizedReplayBuffer::prioritize_new(std::size_t position, std::uint64_t num_added) {
  const std::uint64_t added = buffer_.num_added() - num_added;
  // More than capacity at once: only the last `capacity` writes survive, every slot is new.
  const std::size_t count = static_cast<std::size_t>(
      std::min<std::uint64_t>(added, static_cast<std::uint64_t>(buffer_.capacity())));
  const double priority = std::pow(max_priority_, options_.alpha);
  for (std::size_t k = 0; k < count; ++k) tree_.set((position + k) % buffer_.capacity(), priority);
}

Status PrioritizedReplayBuffer::add(const TransitionBatch& batch) {
  const std::size_t position = buffer_.position();
  const std::uint64_t num_added = buffer_.num_added();
  Status status = buffer_.add(batch);
  prioritize_new(position, num_added);
  return status;
}

Status PrioritizedReplayBuffer::add(std::span<const float> observation, std::int64_t action,
                                    double reward, std::span<const float> next_observation,
                                    bool terminated) {
  const std::size_t position = buffer_.position();
  const std::uint64_t num_added = buffer_.num_added();
  Status status = buffer_.add(observation, action, reward, next_observation, terminated);
  prioritize_new(position, num_added);
  return status;
}

Status PrioritizedReplayBuffer::add(std::span<const float> observation,
                                    std::span<const float> action, double reward,
                                    std::span<const float> next_observation, bool terminated) {
  const std::size_t position = buffer_.position();
  const std::uint64_t num_added = buffer_.num_added();
  Status status = buffer_.add(observation, action, reward, next_observation, terminated);
  prioritize_new(position, num_added);
  return status;
}

Status PrioritizedReplayBuffer::add(std::span<const float> observations,
                                    std::span<const std::int64_t> actions,
                                    const env::VectorEnv& env) {
  const std::size_t position = buffer_.position();
  const std::uint64_t num_added = buffer_.num_added();
  Status status = buffer_.add(observations, actions, env);
  prioritize_new(position, num_added);
  return status;
}

Status PrioritizedReplayBuffer::add(std::span<const float> observations,
                                    std::span<const float> actions, const env::VectorEnv& env) {
  const std::size_t position = buffer_.position();
  const std::uint64_t num_added = buffer_.num_added();
  Status status = buffer_.add(observations, actions, env);
  prioritize_new(position, num_added);
  return status;
}

Status PrioritizedReplayBuffer::sample(std::size_t batch_size, std::int64_t step,
                                       core::Generator& rng, ReplayBatch& batch) const {
  if (size() == 0) {
    return core::failed_precondition("prioritized replay: sample() on an empty buffer");
  }
  if (batch_size == 0) return core::invalid_argument("prioritized replay: batch_size must be > 0");
  const double total = tree_.total();
  const double segment = total / static_cast<double>(batch_size);
  batch.indices.resize(batch_size);
  for (std::size_t k = 0; k < batch_size; ++k) {
    const double mass = (static_cast<double>(k) + rng.random()) * segment;
    batch.indices[k] = static_cast<std::int64_t>(tree_.find_prefix_sum(mass));
  }
  buffer_.gather(batch);
  // (N P(i))^-β / (N P_min)^-β = (p_min / p_i)^β: N and the total cancel.
  const double beta_now = beta(step);
  const double min_priority = tree_.min();
  batch.weights.resize(batch_size);
  for (std::size_t k = 0; k < batch_size; ++k) {
    const double priority = tree_.get(static_cast<std::size_t>(batch.indices[k]));
    batch.weights[k] = static_cast<float>(std::pow(min_priority / priority, beta_now));
  }
  return Status();
}

Status PrioritizedReplayBuffer::update_priorities(std::span<const std::int64_t> indices,
                                                  std::span<const float> td_errors) {
  if (indices.size() != td_errors.size()) {
    return core::invalid_argument(fmt::format("prioritized replay: {} indices but {} td_errors",
                                              indices.size(), td_errors.size()));
  }
  for (std::size_t k = 0; k < indices.size(); ++k) {
    if (indices[k] < 0 || static_cast<std::size_t>(indices[k]) >= size()) {
      return core::out_of_range(fmt::format(
          "prioritized replay: index {} is not a stored slot (size {})", indices[k], size()));
    }
    if (!std::isfinite(td_errors[k])) {
      return core::invalid_argument(fmt::format(
          "prioritized replay: td_errors[{}] is {} for slot {}", k, td_errors[k], indices[k]));
    }
  }
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const double priority = std::abs(static_cast<double>(td_errors[k])) + options_.epsilon;
    tree_.set(static_cast<std::size_t>(indices[k]), std::pow(priority, options_.alpha));
    max_priority_ = std::max(max_priority_, priority);
  }
  return Status();
}

}  // namespace tars::rl
