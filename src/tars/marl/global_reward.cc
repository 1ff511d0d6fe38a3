#include "tars/marl/global_reward.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tars/rl/training_state.h"

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

void GlobalReward::save(rl::StateWriter& out) const {
  out.flag("frozen", frozen_);
  out.numbers("frozen_mean", frozen_statistics_.mean);
  out.numbers("frozen_stddev", frozen_statistics_.stddev);
  std::vector<double> ring;  // slots 0 .. count − 1, agent by agent
  for (std::size_t k = 0; k < count_; ++k) {
    ring.insert(ring.end(), ring_[k].begin(), ring_[k].end());
  }
  out.numbers("ring", ring);
  out.unsigned_integer("next", next_);
  out.numbers("sum", sum_);
  out.numbers("sum_squares", sum_squares_);
}

void GlobalReward::load(rl::StateReader& in) {
  in.flag("frozen", frozen_);
  in.numbers("frozen_mean", frozen_statistics_.mean);
  in.numbers("frozen_stddev", frozen_statistics_.stddev);
  in.numbers("sum", sum_);
  in.numbers("sum_squares", sum_squares_);
  const auto ring = in.numbers("ring");
  const auto next = in.integer("next");
  if (!ring || !next) return;
  constexpr std::size_t kAgents = env::kOpsNumAgents;
  const std::size_t count = ring->size() / kAgents;
  if (ring->size() % kAgents != 0 || count > ring_.size()) {
    in.invalid("ring",
               fmt::format("must hold at most {} rows of {} rewards", ring_.size(), kAgents));
    return;
  }
  // The ring fills from slot 0 and wraps only when full.
  if (*next >= ring_.size() || (count < ring_.size() && *next != count)) {
    in.invalid("next",
               fmt::format("is {}, inconsistent with {} rows of {}", *next, count, ring_.size()));
    return;
  }
  in.defer([this, count, next = static_cast<std::size_t>(*next), values = *ring] {
    for (std::size_t k = 0; k < count; ++k) {
      std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(k * kAgents), kAgents,
                  ring_[k].begin());
    }
    count_ = count;
    next_ = next;
  });
}

}  // namespace tars::marl
