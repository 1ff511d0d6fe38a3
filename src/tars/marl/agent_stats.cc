#include "tars/marl/agent_stats.h"

#include <fmt/format.h>

#include <numeric>

#include "tars/rl/training_state.h"

namespace tars::marl {

namespace {
constexpr std::size_t kLongWindow = 100;
constexpr std::size_t kShortWindow = 10;

double mean_of_last(const std::deque<double>& values, std::size_t n) {
  const std::size_t k = std::min(n, values.size());
  if (k == 0) return 0.0;
  return std::accumulate(values.end() - static_cast<std::ptrdiff_t>(k), values.end(), 0.0) /
         static_cast<double>(k);
}
}  // namespace

void AgentStats::end_episode() {
  last_episode_reward_ = episode_reward_;
  recent_.push_back(episode_reward_);
  if (recent_.size() > kLongWindow) recent_.pop_front();
  episode_reward_ = 0.0;
  ++episode_;
}

void AgentStats::save(rl::StateWriter& out) const {
  out.integer("episodes", episode_);
  out.integer("steps", steps_);
  out.number("episode_reward", episode_reward_);
  out.number("last_episode_reward", last_episode_reward_);
  out.numbers("recent_rewards", std::vector<double>(recent_.begin(), recent_.end()));
}

void AgentStats::load(rl::StateReader& in) {
  in.integer("episodes", episode_);
  in.integer("steps", steps_);
  in.number("episode_reward", episode_reward_);
  in.number("last_episode_reward", last_episode_reward_);
  const auto recent = in.numbers("recent_rewards");
  if (!recent) return;
  if (recent->size() > kLongWindow) {
    in.invalid("recent_rewards", fmt::format("holds more than {} episodes", kLongWindow));
    return;
  }
  in.defer([this, values = *recent] { recent_.assign(values.begin(), values.end()); });
}

AgentSnapshot AgentStats::snapshot(const rl::Agent& agent) const {
  AgentSnapshot out{.agent = agent_,
                    .episode = episode_,
                    .steps = steps_,
                    .last_episode_reward = last_episode_reward_,
                    .reward_mean_10 = mean_of_last(recent_, kShortWindow),
                    .reward_mean_100 = mean_of_last(recent_, kLongWindow),
                    .metrics = agent.progress().metrics,
                    .memory_bytes = agent.memory_bytes()};
  if (auto epsilon = out.metrics.find("exploration_rate"); epsilon != out.metrics.end()) {
    out.metrics["epsilon"] = epsilon->second;
    out.metrics.erase("exploration_rate");
  }
  if (agent.hyperparameters().find("noise_std") != nullptr) {
    out.metrics["noise_sigma"] = agent.hyperparameters().number("noise_std");
  }
  return out;
}

}  // namespace tars::marl
