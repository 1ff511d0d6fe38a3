// Proportional prioritized experience replay (Schaul et al. 2016, "Prioritized Experience
// Replay"): transitions are sampled with probability P(i) = p_i^α / Σ_k p_k^α and corrected with
// importance-sampling weights w_i = (N · P(i))^-β / max_j w_j.
#pragma once

#include <cstdint>
#include <span>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/env/vector_env.h"
#include "tars/rl/replay_buffer.h"
#include "tars/rl/sum_tree.h"

namespace tars::rl {

struct PrioritizedReplayOptions {
  double alpha = 0.6;  // α: how much prioritization is used (0 = uniform sampling)
  double beta0 = 0.4;  // β0: initial importance-sampling exponent, annealed linearly to 1
  // Steps over which β goes from β0 to 1 (typically the training budget, as OpenAI Baselines'
  // prioritized_replay_beta_iters); 0 means β = 1 from the start.
  std::int64_t beta_annealing_steps = 0;
  double epsilon = 1e-6;  // ε: p_i = |δ_i| + ε, so no transition becomes unsampleable
};

class PrioritizedReplayBuffer {
 public:
  // Checks the options, then the replay storage plus the sum tree against the available memory.
  static core::Expected<PrioritizedReplayBuffer> make(const ReplayBufferOptions& buffer_options,
                                                      const PrioritizedReplayOptions& options);

  const PrioritizedReplayOptions& options() const { return options_; }
  const ReplayBuffer& storage() const { return buffer_; }
  const SumTree& tree() const { return tree_; }
  std::size_t size() const { return buffer_.size(); }
  std::size_t capacity() const { return buffer_.capacity(); }
  // Largest priority p seen so far (1 initially); new transitions get it (stored as p^α).
  double max_priority() const { return max_priority_; }
  // β at `step`: β0 + (1 - β0) · min(1, step / beta_annealing_steps).
  double beta(std::int64_t step) const;

  // As ReplayBuffer::add; every new transition gets max_priority().
  core::Status add(const TransitionBatch& batch);
  core::Status add(std::span<const float> observation, std::int64_t action, double reward,
                   std::span<const float> next_observation, bool terminated);
  core::Status add(std::span<const float> observation, std::span<const float> action, double reward,
                   std::span<const float> next_observation, bool terminated);
  core::Status add(std::span<const float> observations, std::span<const std::int64_t> actions,
                   const env::VectorEnv& env);
  core::Status add(std::span<const float> observations, std::span<const float> actions,
                   const env::VectorEnv& env);

  // Proportional sampling by stratified segments (the paper's Algorithm 1 with Appendix B.2.1):
  // [0, total) is cut into batch_size equal segments and one mass is drawn uniformly in each
  // (`(k + rng.random()) * total / batch_size`, as OpenAI Baselines). batch.weights gets the
  // importance weights with β = beta(step), normalised by the largest possible weight, that of
  // the lowest-priority stored transition: w_i / max_j w_j = (min_j P(j) / P(i))^β <= 1.
  core::Status sample(std::size_t batch_size, std::int64_t step, core::Generator& rng,
                      ReplayBatch& batch) const;

  // After a learning step: p_i = |td_error_i| + ε for each sampled slot (batch.indices). All
  // indices and errors are checked (stored slot, finite) before any priority changes.
  core::Status update_priorities(std::span<const std::int64_t> indices,
                                 std::span<const float> td_errors);

  // As ReplayBuffer::save, plus the tensor "priorities" [size] (each slot's p^α, float64) and
  // "max_priority" in the metadata (replay_buffer_state.cc).
  void save(nn::SafetensorsFile& file) const;
  // Restores save() of a buffer with the same options; checked first, as ReplayBuffer::load.
  core::Status load(const nn::SafetensorsFile& file);

 private:
  PrioritizedReplayBuffer(ReplayBuffer buffer, const PrioritizedReplayOptions& options);
  // Gives max priority to the slots written since `position` / `num_added` were read.
  void prioritize_new(std::size_t position, std::uint64_t num_added);

  ReplayBuffer buffer_;
  PrioritizedReplayOptions options_;
  SumTree tree_;  // p_i^α per slot
  double max_priority_ = 1.0;
};

}  // namespace tars::rl
