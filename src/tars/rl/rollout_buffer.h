// On-policy rollout storage over a VectorEnv, with GAE(γ, λ) (Schulman et al. 2016) computed as
// Stable-Baselines3's RolloutBuffer, including its bootstrap on truncation, and shuffled
// minibatches for A2C / PPO updates. Allocated once up front.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"

namespace tars::rl {

struct RolloutBufferOptions {
  int n_steps = 0;                   // steps per environment per rollout (SB3's n_steps)
  int n_envs = 0;                    // environments stepped together
  std::size_t observation_size = 0;  // floats per observation
  bool discrete_actions = true;      // Discrete: one index per action; Box: action_size floats
  std::size_t action_size = 1;       // floats per action (Box only)
  double gamma = 0.99;               // γ: discount factor
  double gae_lambda = 0.95;          // λ: GAE trade-off, 1 = Monte Carlo returns, 0 = TD(0)
};

// One VectorEnv step of all n_envs copies, as SB3's collect_rollouts hands it to
// RolloutBuffer.add, plus what the truncation bootstrap needs. Exactly one of discrete_actions /
// continuous_actions is read.
struct RolloutStep {
  std::span<const float> observations;             // [n_envs x obs]: what the policy acted on
  std::span<const std::int64_t> discrete_actions;  // [n_envs]
  std::span<const float> continuous_actions;       // [n_envs x action_size]
  std::span<const double> rewards;                 // [n_envs], as the step returned them
  // [n_envs] 1 where `observations` is the first of an episode, i.e. the previous step ended
  // it (terminated or truncated) or this is the first step ever (SB3's _last_episode_starts).
  std::span<const std::uint8_t> episode_starts;
  std::span<const float> values;     // [n_envs] V(observations)
  std::span<const float> log_probs;  // [n_envs] log π(action | observation)
  // Bootstrap on truncation: for each copy with truncated && !terminated, the stored reward is
  // reward + γ · final_values[i], final_values[i] = V(the copy's final_observation), so the time
  // limit does not look like a terminal state with value 0 (SB3's TimeLimit.truncated handling).
  // All three may be empty when no copy was truncated; otherwise terminated and truncated have
  // n_envs entries and final_values too (read only where truncated && !terminated).
  std::span<const std::uint8_t> terminated = {};
  std::span<const std::uint8_t> truncated = {};
  std::span<const float> final_values = {};
};

// A minibatch of rollout samples; the vectors are sized once and reused.
struct RolloutMinibatch {
  std::vector<std::int64_t> indices;           // flat sample indices, step * n_envs + env
  std::vector<float> observations;             // [B x obs]
  std::vector<std::int64_t> discrete_actions;  // [B] (Discrete actions)
  std::vector<float> continuous_actions;       // [B x action_size] (Box actions)
  std::vector<float> values;                   // [B] V at collection time (old values)
  std::vector<float> log_probs;                // [B] log-probabilities at collection time
  std::vector<float> advantages;               // [B] GAE advantages (not normalised)
  std::vector<float> returns;                  // [B] advantages + values (value targets)

  std::size_t size() const { return indices.size(); }
};

class RolloutBuffer;

// The minibatches of one shuffle, for a range-for: each element is gathered into the buffer's
// preallocated minibatch when dereferenced (valid until the next one is). The range reads the
// buffer's current permutation: it is valid until the next minibatches(), reset() or add().
class RolloutMinibatches {
 public:
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = RolloutMinibatch;
    using difference_type = std::ptrdiff_t;

    Iterator() = default;
    const RolloutMinibatch& operator*() const;
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    void operator++(int) { ++index_; }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    friend class RolloutMinibatches;
    Iterator(RolloutBuffer* buffer, std::size_t index) : buffer_(buffer), index_(index) {}
    RolloutBuffer* buffer_ = nullptr;
    std::size_t index_ = 0;
  };

  Iterator begin() const { return {buffer_, 0}; }
  Iterator end() const { return {buffer_, count_}; }
  std::size_t size() const { return count_; }  // number of minibatches

 private:
  friend class RolloutBuffer;
  RolloutMinibatches(RolloutBuffer* buffer, std::size_t count) : buffer_(buffer), count_(count) {}
  RolloutBuffer* buffer_;
  std::size_t count_;
};

class RolloutBuffer {
 public:
  // Checks the options and the storage size against the available memory, then allocates.
  static core::Expected<RolloutBuffer> make(const RolloutBufferOptions& options);
  // Bytes make() allocates (minibatch storage excluded); UINT64_MAX when it overflows.
  static std::uint64_t storage_bytes(const RolloutBufferOptions& options);

  const RolloutBufferOptions& options() const { return options_; }
  std::size_t num_samples() const { return num_samples_; }  // n_steps * n_envs
  int steps() const { return step_; }                       // steps added since reset()
  bool full() const { return step_ == options_.n_steps; }

  // Stores one step; every shape is checked before anything is written. Fails when full.
  core::Status add(const RolloutStep& step);

  // GAE over the full rollout, as SB3's compute_returns_and_advantage, in float32 like SB3's
  // NumPy arrays (γ and γλ rounded to float as NumPy does with a Python float):
  //   δ_t = r_t + γ V_{t+1} (1 - start_{t+1}) - V_t,   A_t = δ_t + γ λ (1 - start_{t+1}) A_{t+1}
  // where, for the last step, V_{t+1} = last_values (V of the observations after the rollout)
  // and start_{t+1} = last_dones (whether the last step ended the episode); returns = A + V.
  core::Status compute_returns_and_advantages(std::span<const float> last_values,
                                              std::span<const std::uint8_t> last_dones);
  // Empties the buffer for the next rollout (SB3's reset()); the storage is kept.
  void reset();

  // A fresh random permutation of the n_steps * n_envs samples cut into minibatches of
  // batch_size (the last one smaller when batch_size does not divide them), as SB3's
  // RolloutBuffer.get(batch_size); batch_size 0 means all samples in one minibatch. The
  // permutation is a Fisher-Yates shuffle with rng.integers (SB3 uses np.random.permutation:
  // same distribution, different stream). Needs compute_returns_and_advantages() first.
  core::Expected<RolloutMinibatches> minibatches(std::size_t batch_size, core::Generator& rng);

  // Flat [n_steps x n_envs] views (index step * n_envs + env); rewards include the truncation
  // bootstrap.
  std::span<const float> observations() const { return observations_; }
  std::span<const std::int64_t> discrete_actions() const { return discrete_actions_; }
  std::span<const float> continuous_actions() const { return continuous_actions_; }
  std::span<const float> rewards() const { return rewards_; }
  std::span<const float> episode_starts() const { return episode_starts_; }
  std::span<const float> values() const { return values_; }
  std::span<const float> log_probs() const { return log_probs_; }
  std::span<const float> advantages() const { return advantages_; }
  std::span<const float> returns() const { return returns_; }

 private:
  friend class RolloutMinibatches::Iterator;
  explicit RolloutBuffer(const RolloutBufferOptions& options);
  core::Status check_step(const RolloutStep& step) const;
  // Gathers minibatch k of the current permutation into minibatch_.
  const RolloutMinibatch& gather(std::size_t k);

  RolloutBufferOptions options_;
  std::size_t num_samples_ = 0;
  int step_ = 0;
  bool computed_ = false;                       // advantages and returns match the stored steps
  std::vector<float> observations_;             // [n_steps x n_envs x obs]
  std::vector<std::int64_t> discrete_actions_;  // [n_steps x n_envs] (Discrete only)
  std::vector<float> continuous_actions_;       // [n_steps x n_envs x action_size] (Box only)
  std::vector<float> rewards_;
  std::vector<float> episode_starts_;
  std::vector<float> values_;
  std::vector<float> log_probs_;
  std::vector<float> advantages_;
  std::vector<float> returns_;
  std::vector<std::int64_t> permutation_;  // [n_steps x n_envs], redrawn by minibatches()
  std::size_t batch_size_ = 0;             // of the current permutation
  RolloutMinibatch minibatch_;
};

}  // namespace tars::rl
