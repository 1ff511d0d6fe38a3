// Stable-Baselines3's collect_rollouts for PPO and A2C: steps a VectorEnv (same-step autoreset)
// with the current policy for n_steps, stores every step in a RolloutBuffer (bootstrapping
// truncated episodes with V(final observation)) and computes GAE.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/env/vector_env.h"
#include "tars/rl/actor_critic.h"
#include "tars/rl/agent.h"
#include "tars/rl/rolling_mean.h"
#include "tars/rl/rollout_buffer.h"

namespace tars::rl {

class RolloutCollector {
 public:
  // Allocates the buffer (checked against available memory).
  static core::Expected<RolloutCollector> make(const ActorCritic& policy, int n_envs, int n_steps,
                                               double gamma, double gae_lambda);

  // Every copy starts a new episode (a learn() call on a freshly reset VectorEnv); the
  // statistics carry over.
  void begin_episodes();

  // One rollout of n_steps from every copy of `envs`, then returns and advantages.
  core::Status collect(ActorCritic& policy, env::VectorEnv& envs, core::Generator& rng);

  // Online learning (n_envs 1): stores a transition someone else executed, with V(s) and
  // log π(a | s) under the current policy. When this fills the buffer, returns and advantages
  // are computed (bootstrapping from V(next_observation)) and full() is true until the next add()
  // starts a new rollout.
  core::Status add(ActorCritic& policy, const Transition& transition);

  // Warm changes between rollouts: the next rollout has `n_steps` steps and uses γ and λ
  // (the episode statistics carry over). Call it when the buffer is full or empty.
  core::Status reconfigure(const ActorCritic& policy, int n_steps, double gamma, double gae_lambda);

  RolloutBuffer& buffer() { return buffer_; }
  const RolloutBuffer& buffer() const { return buffer_; }
  std::int64_t steps() const { return steps_; }        // environment steps collected so far
  std::int64_t episodes() const { return episodes_; }  // episodes finished so far
  // Mean return of the last (up to) 100 finished episodes; 0 before the first.
  double recent_return_mean() const { return recent_returns_.mean(); }

  // The statistics, the episodes in progress and the rollout in progress, for a StateWriter or a
  // StateReader (training_state.h).
  template <typename Self, typename Archive>
  static void state_fields(Self& self, Archive& archive) {
    archive.integer("steps", self.steps_);
    archive.integer("episodes", self.episodes_);
    archive.flags("episode_starts", self.episode_starts_);
    archive.numbers("episode_returns", self.episode_returns_);
    archive.window("recent_returns", self.recent_returns_);
    archive.rollout("rollout_steps", self.buffer_);
  }

 private:
  RolloutCollector(RolloutBuffer buffer, const ActorCritic& policy, int n_envs);
  void record_episodes(const env::VectorEnv& envs);
  void record_step(int copy, double reward, bool done);

  RolloutBuffer buffer_;
  int n_envs_;
  nn::Index obs_dim_;
  std::int64_t steps_ = 0;
  std::int64_t episodes_ = 0;
  std::vector<std::uint8_t> episode_starts_;  // SB3's _last_episode_starts
  std::vector<double> episode_returns_;
  RollingMean recent_returns_;
  // Per-step scratch, sized once.
  ActorCritic::Sample sample_;
  std::vector<float> observations_;  // the observations acted on (the step overwrites the env's)
  nn::Matrix<float> env_actions_;    // Box actions clipped to the space
  nn::Matrix<float> final_observations_;
  std::vector<float> final_values_;
  std::vector<float> last_values_;
  std::array<float, 1> online_log_prob_{};
};

}  // namespace tars::rl
