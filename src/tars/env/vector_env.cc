#include "tars/env/vector_env.h"

#include <fmt/format.h>

#include <algorithm>

#include "tars/env/registry.h"

namespace tars::env {

namespace {

std::int64_t action_of(std::span<const std::int64_t> actions, int i, std::size_t) {
  return actions[i];
}

std::span<const float> action_of(std::span<const float> actions, int i, std::size_t per_env) {
  return actions.subspan(i * per_env, per_env);
}

void copy_row(std::span<const float> source, std::vector<float>& target, int row) {
  std::copy(source.begin(), source.end(),
            target.begin() + static_cast<std::ptrdiff_t>(row * source.size()));
}

}  // namespace

core::Expected<std::unique_ptr<VectorEnv>> VectorEnv::make(std::string_view id,
                                                           const Kwargs& kwargs,
                                                           const VectorEnvOptions& options) {
  if (options.num_envs < 1) {
    return core::invalid_argument(
        fmt::format("num_envs must be at least 1, got {}", options.num_envs));
  }
  if (options.threads < 1 || options.threads > options.num_envs) {
    return core::invalid_argument(fmt::format("threads must be between 1 and num_envs ({}), got {}",
                                              options.num_envs, options.threads));
  }
  std::vector<std::unique_ptr<Env>> envs;
  envs.reserve(options.num_envs);
  for (int i = 0; i < options.num_envs; ++i) {
    auto env = env::make(id, kwargs, options.max_episode_steps);
    if (!env.ok()) return env.status();
    envs.push_back(std::move(*env));
  }
  return std::unique_ptr<VectorEnv>(new VectorEnv(std::move(envs), options));
}

VectorEnv::VectorEnv(std::vector<std::unique_ptr<Env>> envs, const VectorEnvOptions& options)
    : envs_(std::move(envs)),
      options_(options),
      observation_size_(envs_.front()->spec().observation_space.flat_size()),
      observations_(envs_.size() * observation_size_, 0.0f),
      final_observations_(envs_.size() * observation_size_, 0.0f),
      rewards_(envs_.size(), 0.0),
      terminated_(envs_.size(), 0),
      truncated_(envs_.size(), 0),
      has_final_(envs_.size(), 0),
      reset_pending_(envs_.size(), 0),
      errors_(envs_.size()) {
  if (options.threads > 1) team_ = std::make_unique<core::ThreadTeam>(options.threads);
}

std::span<const float> VectorEnv::observation(int i) const {
  return std::span<const float>(observations_).subspan(i * observation_size_, observation_size_);
}

std::span<const float> VectorEnv::final_observation(int i) const {
  return std::span<const float>(final_observations_)
      .subspan(i * observation_size_, observation_size_);
}

core::Status VectorEnv::reset(std::optional<std::uint64_t> seed) {
  was_reset_ = false;
  for (int i = 0; i < num_envs(); ++i) {
    auto observation = envs_[i]->reset(seed ? std::optional(*seed + i) : std::nullopt);
    if (!observation.ok()) return observation.status();
    copy_row(*observation, observations_, i);
  }
  std::fill(rewards_.begin(), rewards_.end(), 0.0);
  std::fill(terminated_.begin(), terminated_.end(), 0);
  std::fill(truncated_.begin(), truncated_.end(), 0);
  std::fill(has_final_.begin(), has_final_.end(), 0);
  std::fill(reset_pending_.begin(), reset_pending_.end(), 0);
  was_reset_ = true;
  return {};
}

core::Status VectorEnv::step(std::span<const std::int64_t> actions) { return step_all(actions); }

core::Status VectorEnv::step(std::span<const float> actions) { return step_all(actions); }

template <typename Body>
void VectorEnv::for_each_chunk(const Body& body) {
  if (!team_) {
    body(0, num_envs());
    return;
  }
  // Two pointers fit std::function's inline storage: no allocation per step.
  team_->run([this, &body](int chunk) {
    const int chunks = team_->size();
    body(chunk * num_envs() / chunks, (chunk + 1) * num_envs() / chunks);
  });
}

template <typename Action>
core::Status VectorEnv::step_all(std::span<const Action> actions) {
  const std::size_t per_env = std::is_same_v<Action, float> ? action_size() : 1;
  if (actions.size() != envs_.size() * per_env) {
    return core::invalid_argument(fmt::format("expected {} actions ({} envs x {}), got {}",
                                              envs_.size() * per_env, envs_.size(), per_env,
                                              actions.size()));
  }
  if (!was_reset_) return core::failed_precondition("call reset() before the first step()");
  // Only the actions are read here: touching the copies from this thread would pull their cache
  // lines away from the worker threads that step them.
  for (int i = 0; i < num_envs(); ++i) {
    const auto action = action_of(actions, i, per_env);
    if (!spec().action_space.contains(action)) {
      return core::invalid_argument(
          fmt::format("env {}: {}", i, spec().action_space.check(action).message()));
    }
  }
  for_each_chunk([&](int begin, int end) {
    for (int i = begin; i < end; ++i) step_copy(i, action_of(actions, i, per_env));
  });
  for (core::Status& status : errors_) {
    if (!status.ok()) return std::exchange(status, core::Status());
  }
  return {};
}

template <typename Action>
void VectorEnv::step_copy(int i, Action action) {
  Env& env = *envs_[i];
  has_final_[i] = 0;
  if (reset_pending_[i]) {
    reset_pending_[i] = 0;
    auto observation = env.reset();
    if (!observation.ok()) {
      errors_[i] = observation.status();
      return;
    }
    copy_row(*observation, observations_, i);
    rewards_[i] = 0.0;
    terminated_[i] = truncated_[i] = 0;
    return;
  }
  auto result = env.step(action);
  if (!result.ok()) {
    errors_[i] = result.status();
    return;
  }
  rewards_[i] = result->reward;
  terminated_[i] = result->terminated;
  truncated_[i] = result->truncated;
  const bool done = result->terminated || result->truncated;
  if (!done || options_.autoreset_mode == AutoresetMode::kNextStep) {
    copy_row(env.observation(), observations_, i);
    reset_pending_[i] = done;
    return;
  }
  copy_row(env.observation(), final_observations_, i);
  has_final_[i] = 1;
  auto observation = env.reset();
  if (!observation.ok()) {
    errors_[i] = observation.status();
    return;
  }
  copy_row(*observation, observations_, i);
}

}  // namespace tars::env
