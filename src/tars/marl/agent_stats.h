// Per-agent statistics the orchestrator reports and persists once per episode.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "tars/env/ops_sim/ops_sim_spec.h"
#include "tars/rl/agent.h"

namespace tars::rl {
class StateReader;
class StateWriter;
}  // namespace tars::rl

namespace tars::marl {

struct AgentSnapshot {
  env::OpsAgent agent = env::OpsAgent::kPolicy;
  std::int64_t episode = 0;  // episodes finished
  std::int64_t steps = 0;    // transitions learned from
  double last_episode_reward = 0.0;
  double reward_mean_10 = 0.0;   // mean episode reward over the last (up to) 10 episodes
  double reward_mean_100 = 0.0;  // ... and 100
  // The algorithm's latest statistics (losses, entropy, approx_kl, clip_fraction, ...), with
  // "epsilon" (DQN's ε) and "noise_sigma" (DDPG's exploration σ) under common names.
  std::map<std::string, double> metrics;
  std::uint64_t memory_bytes = 0;  // networks, gradients, optimizer state, buffers
};

class AgentStats {
 public:
  explicit AgentStats(env::OpsAgent agent) : agent_(agent) {}

  void add_step(double reward) {
    episode_reward_ += reward;
    ++steps_;
  }
  // Closes the episode: its reward joins the rolling means.
  void end_episode();
  // The current statistics, reading the agent's live metrics.
  AgentSnapshot snapshot(const rl::Agent& agent) const;
  double episode_reward() const { return episode_reward_; }

  // The statistics, for team checkpoints (see rl::StateWriter / rl::StateReader).
  void save(rl::StateWriter& out) const;
  void load(rl::StateReader& in);

 private:
  env::OpsAgent agent_;
  std::int64_t episode_ = 0;
  std::int64_t steps_ = 0;
  double episode_reward_ = 0.0;
  double last_episode_reward_ = 0.0;
  std::deque<double> recent_;  // last 100 episode rewards
};

}  // namespace tars::marl
