// DQN's replay memory D: uniform (Mnih et al. 2015) or proportional prioritized (Schaul et al.
// 2016) behind one interface, allocated once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/env/vector_env.h"
#include "tars/rl/agent.h"
#include "tars/rl/prioritized_replay_buffer.h"
#include "tars/rl/replay_buffer.h"

namespace tars::rl {

struct ReplayMemoryOptions {
  ReplayBufferOptions buffer = {};
  bool prioritized = false;
  PrioritizedReplayOptions priorities = {};  // read when prioritized; beta_annealing_steps is set
};

class ReplayMemory {
 public:
  static core::Expected<ReplayMemory> make(ReplayMemoryOptions options);

  bool prioritized() const { return prioritized_.has_value(); }
  // Bytes allocated for transitions (and the sum tree).
  std::uint64_t bytes() const;

  // The n_envs transitions of the VectorEnv step that just ran.
  core::Status add(std::span<const float> observations, std::span<const std::int64_t> actions,
                   const env::VectorEnv& envs);
  // One executed transition (online learning).
  core::Status add(const Transition& transition);

  // A minibatch; `elapsed` (0 → 1) anneals PER's β from β0 to 1.
  core::Status sample(std::size_t batch_size, double elapsed, core::Generator& rng,
                      ReplayBatch& batch) const;
  core::Status update_priorities(std::span<const std::int64_t> indices,
                                 std::span<const float> td_errors);

  // The buffer's save() / load() (see ReplayBuffer and PrioritizedReplayBuffer).
  nn::SafetensorsFile save() const;
  core::Status load(const nn::SafetensorsFile& file);

 private:
  std::optional<ReplayBuffer> uniform_;
  std::optional<PrioritizedReplayBuffer> prioritized_;
};

}  // namespace tars::rl
