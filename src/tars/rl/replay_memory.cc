#include "tars/rl/replay_memory.h"

#include <cmath>
#include <utility>

#include "tars/rl/sum_tree.h"

namespace tars::rl {

namespace {
// The prioritized buffer anneals β over a step count fixed at construction; handing it the
// progress in these ticks lets the caller decide what 0 → 1 spans (a learn() budget, or a number
// of online steps), as OpenAI Baselines' prioritized_replay_beta_iters.
constexpr std::int64_t kBetaTicks = std::int64_t{1} << 40;
}  // namespace

core::Expected<ReplayMemory> ReplayMemory::make(ReplayMemoryOptions options) {
  ReplayMemory memory;
  if (options.prioritized) {
    options.priorities.beta_annealing_steps = kBetaTicks;
    auto buffer = PrioritizedReplayBuffer::make(options.buffer, options.priorities);
    if (!buffer.ok()) return buffer.status();
    memory.prioritized_.emplace(std::move(*buffer));
  } else {
    auto buffer = ReplayBuffer::make(options.buffer);
    if (!buffer.ok()) return buffer.status();
    memory.uniform_.emplace(std::move(*buffer));
  }
  return memory;
}

std::uint64_t ReplayMemory::bytes() const {
  if (!prioritized_) return ReplayBuffer::storage_bytes(uniform_->options());
  return ReplayBuffer::storage_bytes(prioritized_->storage().options()) +
         SumTree::storage_bytes(prioritized_->capacity());
}

core::Status ReplayMemory::add(std::span<const float> observations,
                               std::span<const std::int64_t> actions, const env::VectorEnv& envs) {
  return prioritized_ ? prioritized_->add(observations, actions, envs)
                      : uniform_->add(observations, actions, envs);
}

core::Status ReplayMemory::add(const Transition& t) {
  return prioritized_ ? prioritized_->add(t.observation, t.discrete_action, t.reward,
                                          t.next_observation, t.terminated)
                      : uniform_->add(t.observation, t.discrete_action, t.reward,
                                      t.next_observation, t.terminated);
}

core::Status ReplayMemory::sample(std::size_t batch_size, double elapsed, core::Generator& rng,
                                  ReplayBatch& batch) const {
  if (!prioritized_) return uniform_->sample(batch_size, rng, batch);
  const auto tick = static_cast<std::int64_t>(std::llround(elapsed * kBetaTicks));
  return prioritized_->sample(batch_size, tick, rng, batch);
}

nn::SafetensorsFile ReplayMemory::save() const {
  nn::SafetensorsFile file;
  if (prioritized_) {
    prioritized_->save(file);
  } else {
    uniform_->save(file);
  }
  return file;
}

core::Status ReplayMemory::load(const nn::SafetensorsFile& file) {
  return prioritized_ ? prioritized_->load(file) : uniform_->load(file);
}

core::Status ReplayMemory::update_priorities(std::span<const std::int64_t> indices,
                                             std::span<const float> td_errors) {
  return prioritized_->update_priorities(indices, td_errors);
}

}  // namespace tars::rl
