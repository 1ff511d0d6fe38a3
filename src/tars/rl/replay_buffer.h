// Uniform experience replay (Mnih et al. 2015): a fixed-capacity ring of transitions for the
// off-policy algorithms, allocated once up front in flat arrays.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/env/vector_env.h"
#include "tars/nn/safetensors.h"

namespace tars::rl {

struct ReplayBufferOptions {
  std::size_t capacity = 0;          // transitions kept; when full the oldest is overwritten
  std::size_t observation_size = 0;  // floats per observation
  bool discrete_actions = true;      // Discrete: one index per action; Box: action_size floats
  std::size_t action_size = 1;       // floats per action (Box only)
};

// N transitions, row-major. Exactly one of discrete_actions / continuous_actions is read, as the
// buffer's options say.
struct TransitionBatch {
  std::span<const float> observations;             // [N x observation_size]
  std::span<const std::int64_t> discrete_actions;  // [N]
  std::span<const float> continuous_actions;       // [N x action_size]
  std::span<const double> rewards;                 // [N]
  // [N x observation_size]; for an episode that ended, its last observation (the VectorEnv's
  // final_observation), never the next episode's first.
  std::span<const float> next_observations;
  // [N]; 1 only when the MDP terminated. A truncated episode stores 0 so that the target still
  // bootstraps from its final observation.
  std::span<const std::uint8_t> terminated;
};

// A sampled minibatch; the vectors are resized on the first sample() and reused afterwards.
struct ReplayBatch {
  std::vector<std::int64_t> indices;           // buffer slots (for update_priorities)
  std::vector<float> observations;             // [B x observation_size]
  std::vector<std::int64_t> discrete_actions;  // [B] (Discrete actions)
  std::vector<float> continuous_actions;       // [B x action_size] (Box actions)
  std::vector<float> rewards;                  // [B]
  std::vector<float> next_observations;        // [B x observation_size]
  std::vector<float> terminated;               // [B] 1: no bootstrap from next_observations
  std::vector<float> weights;                  // [B] importance-sampling weights; 1 if uniform

  std::size_t size() const { return indices.size(); }
};

class ReplayBuffer {
 public:
  // Computes the storage size, checks it against the available memory (core::check_allocation)
  // and allocates everything; an error names the sizes instead of a late out-of-memory.
  static core::Expected<ReplayBuffer> make(const ReplayBufferOptions& options);
  // Bytes make() allocates; UINT64_MAX when the size does not even fit in 64 bits.
  static std::uint64_t storage_bytes(const ReplayBufferOptions& options);

  const ReplayBufferOptions& options() const { return options_; }
  std::size_t capacity() const { return options_.capacity; }
  std::size_t size() const { return size_; }          // transitions stored, <= capacity
  std::size_t position() const { return position_; }  // slot the next transition goes to
  std::uint64_t num_added() const { return num_added_; }

  // N transitions at once; all shapes are checked before anything is written.
  core::Status add(const TransitionBatch& batch);
  // One transition with a Discrete / a Box action.
  core::Status add(std::span<const float> observation, std::int64_t action, double reward,
                   std::span<const float> next_observation, bool terminated);
  core::Status add(std::span<const float> observation, std::span<const float> action, double reward,
                   std::span<const float> next_observation, bool terminated);
  // The num_envs transitions of the VectorEnv step that just ran (same-step autoreset only):
  // `observations` is the copy of env.observations() taken before step(), `actions` what was
  // stepped; rewards and terminated come from `env`, and the next observation of a copy whose
  // episode ended is its final_observation().
  core::Status add(std::span<const float> observations, std::span<const std::int64_t> actions,
                   const env::VectorEnv& env);
  core::Status add(std::span<const float> observations, std::span<const float> actions,
                   const env::VectorEnv& env);

  // `batch_size` transitions drawn uniformly with replacement over the stored ones, as
  // Stable-Baselines3's ReplayBuffer.sample (randint(0, size, batch_size); its layout
  // [capacity / n_envs, n_envs] with a separate env index gives the same distribution). The
  // indices are `rng.integers(0, size())` in order, i.e. NumPy's `rng.integers(0, size,
  // batch_size)`; SB3 draws from the global np.random instead. Not mirrored: SB3's
  // optimize_memory_usage (next observations here are stored separately, which doubles the
  // observation memory but keeps final observations of truncated episodes exact).
  core::Status sample(std::size_t batch_size, core::Generator& rng, ReplayBatch& batch) const;
  // Fills every field of `batch` but the weights for the slots in batch.indices (each < size()).
  void gather(ReplayBatch& batch) const;

  // The stored transitions, slot by slot, into `file` (replay_buffer_state.cc): tensors
  // "observations", "next_observations" [size, observation_size], "actions" ([size] indices as
  // float64, or [size, action_size]), "rewards", "terminated" [size], and "capacity", "size",
  // "position", "num_added" in the metadata.
  void save(nn::SafetensorsFile& file) const;
  // Restores save() of a buffer with the same options. `extra` names the other tensors the file
  // may hold (a prioritized buffer's). Everything is checked first: the error names each problem
  // and nothing changes.
  core::Status load(const nn::SafetensorsFile& file, const std::vector<std::string>& extra = {});

 private:
  explicit ReplayBuffer(const ReplayBufferOptions& options) : options_(options) {}
  core::Status check_batch(const TransitionBatch& batch) const;
  core::Status check_vector_env(std::span<const float> observations, std::size_t num_actions,
                                const env::VectorEnv& env) const;
  // write_action() then write() store one transition at position_; write() advances the ring.
  void write_action(std::int64_t action);
  void write_action(const float* action);
  void write(const float* observation, const float* next_observation, double reward,
             bool terminated);

  ReplayBufferOptions options_;
  std::vector<float> observations_;             // [capacity x observation_size]
  std::vector<float> next_observations_;        // [capacity x observation_size]
  std::vector<std::int64_t> discrete_actions_;  // [capacity] (Discrete only)
  std::vector<float> continuous_actions_;       // [capacity x action_size] (Box only)
  std::vector<float> rewards_;                  // [capacity]
  std::vector<float> terminated_;               // [capacity]
  std::size_t position_ = 0;
  std::size_t size_ = 0;
  std::uint64_t num_added_ = 0;
};

}  // namespace tars::rl
