// The team's global reward for one step (T.A.R.S. 1.0's definition, made precise):
//
//   G = Σ_i w_i · c_i · z_i − conflict_penalty · (executed conflicts) + cooperation_bonus · [all
//   z_i ≥ 0
//       and no conflict]
//
// where z_i = (r_i − μ_i) / (σ_i + ε) is agent i's reward z-scored against a window of its past
// rewards, w = (0.30, 0.25, 0.25, 0.20) for policy, consensus, ethical, resource, and c_i ∈
// [0.5, 1] the agent's confidence in what it executed (Coordination::confidence). The window is
// either sliding (the last `window` steps: G then measures improvement over the recent past) or
// frozen (statistics of a reference run, e.g. the heuristic team: G then compares teams).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tars/env/ops_sim/ops_sim_spec.h"

namespace tars::rl {
class StateReader;
class StateWriter;
}  // namespace tars::rl

namespace tars::marl {

using AgentValues = std::array<double, env::kOpsNumAgents>;

struct GlobalRewardOptions {
  AgentValues weights = {0.30, 0.25, 0.25, 0.20};  // w_i
  std::size_t window = 1000;                       // steps in the sliding window
  std::size_t min_window = 100;     // sliding: z = 0 until this many steps (or the window) are in
  double conflict_penalty = 0.1;    // per executed conflict
  double cooperation_bonus = 0.05;  // every agent at or above its mean, no conflict
  double epsilon = 1e-6;            // ε in the z-score
};

// Mean and population standard deviation of each agent's reward.
struct RewardStatistics {
  AgentValues mean = {};
  AgentValues stddev = {};
};

// Mean and population standard deviation from running sums over n reward vectors.
RewardStatistics reward_statistics(const AgentValues& sum, const AgentValues& sum_squares,
                                   std::size_t n);

// A team's rewards over some episodes (the heuristic team's, or an evaluation of the learnt one).
struct TeamRun {
  RewardStatistics statistics;                 // per-agent step rewards over the whole run
  std::vector<double> episode_global_rewards;  // mean G per step of each episode
  std::vector<AgentValues> episode_returns;    // per-agent reward sums of each episode
  double conflict_rate = 0.0;                  // share of steps with an executed conflict
  std::int64_t steps = 0;
};

// Builds a TeamRun step by step: per-episode returns, reward statistics, conflict rate. The
// caller adds each episode's mean G to episode_global_rewards itself.
class TeamRunRecorder {
 public:
  void add_step(const AgentValues& rewards, bool conflict);
  void end_episode();
  // The run so far, with statistics and conflict rate over all its steps.
  TeamRun& finish();

 private:
  TeamRun run_;
  AgentValues returns_ = {};
  AgentValues sum_ = {};
  AgentValues sum_squares_ = {};
  std::int64_t conflict_steps_ = 0;
};

class GlobalReward {
 public:
  explicit GlobalReward(const GlobalRewardOptions& options = {});

  // G for this step, then the rewards join the window (unless frozen). Until the window holds
  // min_window steps (or is full), z = 0: a few near-equal rewards would give huge z-scores.
  double add(const AgentValues& rewards, const AgentValues& confidence, int executed_conflicts);

  // Statistics of the current window.
  RewardStatistics statistics() const;
  // From now on z-scores use `statistics` and the window no longer moves.
  void freeze(const RewardStatistics& statistics);
  bool frozen() const { return frozen_; }
  const GlobalRewardOptions& options() const { return options_; }

  // The window (exactly: running sums included) or the frozen statistics, for team checkpoints.
  void save(rl::StateWriter& out) const;
  // Restores save() into a GlobalReward with the same window size (checked by `in`).
  void load(rl::StateReader& in);

 private:
  GlobalRewardOptions options_;
  std::vector<AgentValues> ring_;  // the last `window` reward vectors
  std::size_t next_ = 0;
  std::size_t count_ = 0;
  AgentValues sum_ = {};
  AgentValues sum_squares_ = {};
  bool frozen_ = false;
  RewardStatistics frozen_statistics_;
};

}  // namespace tars::marl
