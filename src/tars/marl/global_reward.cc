#include "tars/marl/global_reward.h"

#include <algorithm>
#include <cmath>

namespace tars::marl {

GlobalReward::GlobalReward(const GlobalRewardOptions& options)
    : options_(options), ring_(std::max<std::size_t>(options.window, 2)) {}

RewardStatistics reward_statistics(const AgentValues& sum, const AgentValues& sum_squares,
                                   std::size_t n) {
  RewardStatistics out;
  if (n == 0) return out;
  const auto count = static_cast<double>(n);
  for (std::size_t i = 0; i < env::kOpsNumAgents; ++i) {
    out.mean[i] = sum[i] / count;
    out.stddev[i] = std::sqrt(std::max(0.0, sum_squares[i] / count - out.mean[i] * out.mean[i]));
  }
  return out;
}

void TeamRunRecorder::add_step(const AgentValues& rewards, bool conflict) {
  for (std::size_t i = 0; i < env::kOpsNumAgents; ++i) {
    returns_[i] += rewards[i];
    sum_[i] += rewards[i];
    sum_squares_[i] += rewards[i] * rewards[i];
  }
  conflict_steps_ += conflict;
  ++run_.steps;
}

void TeamRunRecorder::end_episode() {
  run_.episode_returns.push_back(returns_);
  returns_ = {};
}

TeamRun& TeamRunRecorder::finish() {
  run_.statistics = reward_statistics(sum_, sum_squares_, static_cast<std::size_t>(run_.steps));
  run_.conflict_rate =
      run_.steps > 0 ? static_cast<double>(conflict_steps_) / static_cast<double>(run_.steps) : 0.0;
  return run_;
}

RewardStatistics GlobalReward::statistics() const {
  return frozen_ ? frozen_statistics_ : reward_statistics(sum_, sum_squares_, count_);
}

void GlobalReward::freeze(const RewardStatistics& statistics) {
  frozen_statistics_ = statistics;
  frozen_ = true;
}

double GlobalReward::add(const AgentValues& rewards, const AgentValues& confidence,
                         int executed_conflicts) {
  const RewardStatistics stats = statistics();
  const bool scored =
      frozen_ || count_ >= std::max<std::size_t>(2, std::min(options_.min_window, ring_.size()));
  double reward = -options_.conflict_penalty * executed_conflicts;
  bool everyone_at_mean = scored;
  for (std::size_t i = 0; i < env::kOpsNumAgents; ++i) {
    const double z =
        scored ? (rewards[i] - stats.mean[i]) / (stats.stddev[i] + options_.epsilon) : 0.0;
    reward += options_.weights[i] * confidence[i] * z;
    everyone_at_mean = everyone_at_mean && z >= 0.0;
  }
  if (everyone_at_mean && executed_conflicts == 0) reward += options_.cooperation_bonus;
  if (frozen_) return reward;

  // Slide the window: the oldest vector leaves the running sums when the ring is full.
  AgentValues& slot = ring_[next_];
  for (std::size_t i = 0; i < env::kOpsNumAgents; ++i) {
    if (count_ == ring_.size()) {
      sum_[i] -= slot[i];
      sum_squares_[i] -= slot[i] * slot[i];
    }
    slot[i] = rewards[i];
    sum_[i] += rewards[i];
    sum_squares_[i] += rewards[i] * rewards[i];
  }
  next_ = (next_ + 1) % ring_.size();
  count_ = std::min(count_ + 1, ring_.size());
  return reward;
}

}  // namespace tars::marl
