#include "tars/rl/rollout_collector.h"

#include <fmt/format.h>

#include <algorithm>

namespace tars::rl {

namespace {
constexpr std::size_t kRecentEpisodes = 100;

RolloutBufferOptions buffer_options(const ActorCritic& policy, int n_envs, int n_steps,
                                    double gamma, double gae_lambda) {
  return {.n_steps = n_steps,
          .n_envs = n_envs,
          .observation_size = static_cast<std::size_t>(policy.observation_size()),
          .discrete_actions = policy.discrete(),
          .action_size = static_cast<std::size_t>(policy.action_size()),
          .gamma = gamma,
          .gae_lambda = gae_lambda};
}
}  // namespace

core::Expected<RolloutCollector> RolloutCollector::make(const ActorCritic& policy, int n_envs,
                                                        int n_steps, double gamma,
                                                        double gae_lambda) {
  auto buffer = RolloutBuffer::make(buffer_options(policy, n_envs, n_steps, gamma, gae_lambda));
  if (!buffer.ok()) return buffer.status();
  return RolloutCollector(std::move(*buffer), policy, n_envs);
}

core::Status RolloutCollector::reconfigure(const ActorCritic& policy, int n_steps, double gamma,
                                           double gae_lambda) {
  const RolloutBufferOptions& current = buffer_.options();
  if (current.n_steps == n_steps && current.gamma == gamma && current.gae_lambda == gae_lambda) {
    return {};
  }
  auto buffer = RolloutBuffer::make(buffer_options(policy, n_envs_, n_steps, gamma, gae_lambda));
  if (!buffer.ok()) return buffer.status();
  buffer_ = std::move(*buffer);
  return {};
}

RolloutCollector::RolloutCollector(RolloutBuffer buffer, const ActorCritic& policy, int n_envs)
    : buffer_(std::move(buffer)),
      n_envs_(n_envs),
      obs_dim_(policy.observation_size()),
      episode_starts_(n_envs, 1),
      episode_returns_(n_envs, 0.0),
      recent_returns_(kRecentEpisodes),
      observations_(static_cast<std::size_t>(obs_dim_) * n_envs, 0.0f),
      env_actions_(policy.discrete() ? 0 : policy.action_size(), n_envs),
      final_observations_(nn::Matrix<float>::Zero(obs_dim_, n_envs)),
      final_values_(n_envs, 0.0f),
      last_values_(n_envs, 0.0f) {}

void RolloutCollector::begin_episodes() {
  std::fill(episode_starts_.begin(), episode_starts_.end(), 1);
  std::fill(episode_returns_.begin(), episode_returns_.end(), 0.0);
}

core::Status RolloutCollector::collect(ActorCritic& policy, env::VectorEnv& envs,
                                       core::Generator& rng) {
  buffer_.reset();
  const int n = n_envs_;
  for (int t = 0; t < buffer_.options().n_steps; ++t) {
    const std::span<const float> current = envs.observations();
    std::copy(current.begin(), current.end(), observations_.begin());
    policy.sample(observations_, n, rng, sample_);

    core::Status stepped;
    if (policy.discrete()) {
      stepped = envs.step(std::span<const std::int64_t>(sample_.discrete));
    } else {
      env_actions_ = sample_.continuous;
      policy.clip_actions(nn::MatrixMap<float>(env_actions_.data(), env_actions_.rows(), n));
      stepped = envs.step(std::span<const float>(env_actions_.data(), env_actions_.size()));
    }
    if (!stepped.ok()) return stepped;
    steps_ += n;

    RolloutStep step;
    step.observations = observations_;
    step.discrete_actions = sample_.discrete;
    step.continuous_actions = std::span<const float>(
        sample_.continuous.data(), policy.discrete() ? 0 : sample_.continuous.size());
    step.rewards = envs.rewards();
    step.episode_starts = episode_starts_;
    step.values = sample_.values;
    step.log_probs = sample_.log_probs;
    // Bootstrap truncated episodes with V(final observation) (SB3's TimeLimit handling).
    bool any_truncated = false;
    for (int i = 0; i < n; ++i) {
      if (!envs.truncated()[i] || envs.terminated()[i]) continue;
      const std::span<const float> last = envs.final_observation(i);
      std::copy(last.begin(), last.end(), final_observations_.col(i).data());
      any_truncated = true;
    }
    if (any_truncated) {
      policy.values(std::span<const float>(final_observations_.data(), final_observations_.size()),
                    n, final_values_);
      step.terminated = envs.terminated();
      step.truncated = envs.truncated();
      step.final_values = final_values_;
    }
    if (core::Status status = buffer_.add(step); !status.ok()) return status;
    record_episodes(envs);
  }
  policy.values(envs.observations(), n, last_values_);
  return buffer_.compute_returns_and_advantages(last_values_, episode_starts_);
}

core::Status RolloutCollector::add(ActorCritic& policy, const Transition& transition) {
  if (n_envs_ != 1) {
    return core::invalid_argument(
        fmt::format("online learning steps one environment; the agent has n_envs={}", n_envs_));
  }
  if (buffer_.full()) buffer_.reset();
  const std::span<const std::int64_t> discrete_action(&transition.discrete_action,
                                                      policy.discrete() ? 1 : 0);
  const std::span<const float> continuous_action =
      policy.discrete() ? std::span<const float>() : transition.continuous_action;
  policy.values(transition.observation, 1, last_values_);
  policy.log_probs(transition.observation, discrete_action, continuous_action, online_log_prob_);
  const std::uint8_t terminated = transition.terminated;
  const std::uint8_t truncated = transition.truncated;
  RolloutStep step{.observations = transition.observation,
                   .discrete_actions = discrete_action,
                   .continuous_actions = continuous_action,
                   .rewards = std::span<const double>(&transition.reward, 1),
                   .episode_starts = episode_starts_,
                   .values = last_values_,
                   .log_probs = online_log_prob_};
  if (truncated && !terminated) {
    policy.values(transition.next_observation, 1, final_values_);
    step.terminated = std::span<const std::uint8_t>(&terminated, 1);
    step.truncated = std::span<const std::uint8_t>(&truncated, 1);
    step.final_values = final_values_;
  }
  if (core::Status status = buffer_.add(step); !status.ok()) return status;
  ++steps_;
  record_step(0, transition.reward, terminated || truncated);
  if (!buffer_.full()) return {};
  policy.values(transition.next_observation, 1, last_values_);
  return buffer_.compute_returns_and_advantages(last_values_, episode_starts_);
}

void RolloutCollector::record_episodes(const env::VectorEnv& envs) {
  for (int i = 0; i < n_envs_; ++i) {
    record_step(i, envs.rewards()[i], envs.terminated()[i] || envs.truncated()[i]);
  }
}

void RolloutCollector::record_step(int copy, double reward, bool done) {
  episode_returns_[copy] += reward;
  episode_starts_[copy] = done;
  if (!done) return;
  recent_returns_.add(episode_returns_[copy]);
  episode_returns_[copy] = 0.0;
  ++episodes_;
}

}  // namespace tars::rl
