// N copies of one environment stepped together, with automatic reset and preallocated
// observation / reward / flag buffers (Gymnasium's SyncVectorEnv, optionally on threads).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/core/thread_team.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"

namespace tars::env {

// What happens to a copy whose episode ended.
enum class AutoresetMode {
  // Reset within the same step: the returned observation is the new episode's first one, the
  // ended episode's last observation is kept in final_observation() (for bootstrapping on
  // truncation), reward and flags belong to the ended episode.
  kSameStep,
  // Gymnasium's default: the step that ends an episode returns its last observation; the next
  // step ignores that copy's action, resets it and returns the reset observation, reward 0 and
  // both flags false.
  kNextStep,
};

struct VectorEnvOptions {
  int num_envs = 1;
  AutoresetMode autoreset_mode = AutoresetMode::kSameStep;
  int threads = 1;  // 1: synchronous on the caller; more: a thread team splitting the copies
  std::optional<int> max_episode_steps;  // overrides the registered time limit
};

class VectorEnv {
 public:
  static core::Expected<std::unique_ptr<VectorEnv>> make(std::string_view id, const Kwargs& kwargs,
                                                         const VectorEnvOptions& options);

  int num_envs() const { return static_cast<int>(envs_.size()); }
  const EnvSpec& spec() const { return envs_.front()->spec(); }  // of one copy
  std::size_t observation_size() const { return observation_size_; }
  std::size_t action_size() const { return spec().action_space.flat_size(); }
  AutoresetMode autoreset_mode() const { return options_.autoreset_mode; }

  // Resets every copy; copy i is seeded with seed + i, as Gymnasium's vector reset(seed=s), so
  // copy i replays a single env reset with seed s + i. Without a seed the copies keep their RNGs.
  core::Status reset(std::optional<std::uint64_t> seed = std::nullopt);
  // One action per copy: indexes for Discrete, num_envs * action_size floats (row-major) for Box.
  // All actions are validated before any copy steps, so a bad action changes nothing.
  core::Status step(std::span<const std::int64_t> actions);
  core::Status step(std::span<const float> actions);

  // Row-major [num_envs x observation_size]; valid after reset() / step().
  std::span<const float> observations() const { return observations_; }
  std::span<const float> observation(int i) const;
  std::span<const double> rewards() const { return rewards_; }
  std::span<const std::uint8_t> terminated() const { return terminated_; }
  std::span<const std::uint8_t> truncated() const { return truncated_; }
  // Same-step mode: whether copy i ended an episode in the last step, and its last observation.
  bool has_final_observation(int i) const { return has_final_[i] != 0; }
  std::span<const float> final_observation(int i) const;

 private:
  VectorEnv(std::vector<std::unique_ptr<Env>> envs, const VectorEnvOptions& options);
  template <typename Action>
  core::Status step_all(std::span<const Action> actions);
  template <typename Action>
  void step_copy(int i, Action action);
  // Calls body(begin, end) over contiguous ranges of copies, one per thread. A template, so the
  // per-step lambda is not copied into a heap-allocated std::function.
  template <typename Body>
  void for_each_chunk(const Body& body);

  std::vector<std::unique_ptr<Env>> envs_;
  VectorEnvOptions options_;
  std::size_t observation_size_;
  std::unique_ptr<core::ThreadTeam> team_;
  std::vector<float> observations_;
  std::vector<float> final_observations_;
  std::vector<double> rewards_;
  std::vector<std::uint8_t> terminated_;
  std::vector<std::uint8_t> truncated_;
  std::vector<std::uint8_t> has_final_;
  std::vector<std::uint8_t> reset_pending_;  // next-step mode: copy resets on its next step
  std::vector<core::Status> errors_;         // per copy, from the last step
  bool was_reset_ = false;                   // reset() succeeded since construction
};

}  // namespace tars::env
