#include "tars/eval/agent_policy.h"

#include <fmt/format.h>

#include <utility>

#include "tars/env/registry.h"
#include "tars/rl/algorithms.h"

namespace tars::eval {

AgentPolicy::AgentPolicy(std::unique_ptr<rl::Agent> agent, std::string checkpoint_hash)
    : agent_(std::move(agent)), checkpoint_hash_(std::move(checkpoint_hash)) {}

void AgentPolicy::act(std::span<const float> observations, int batch, store::PolicyMode mode,
                      std::span<std::int64_t> discrete, std::span<float> continuous) {
  const env::EnvSpec& spec = agent_->env_spec();
  const std::size_t obs_size = spec.observation_space.flat_size();
  const std::size_t action_size = spec.action_space.flat_size();
  const bool deterministic = mode == store::PolicyMode::kDeterministic;
  for (std::size_t row = 0; row < static_cast<std::size_t>(batch); ++row) {
    const std::span<const float> observation = observations.subspan(row * obs_size, obs_size);
    if (spec.action_space.is_discrete()) {
      agent_->act(observation, 1, deterministic, discrete.subspan(row, 1), {});
    } else {
      agent_->act(observation, 1, deterministic, {},
                  continuous.subspan(row * action_size, action_size));
    }
  }
}

std::string AgentPolicy::agent_type() const { return std::string(agent_->algorithm()); }

std::string AgentPolicy::hyperparameters_json() const {
  return rl::hyperparameters_json(agent_->hyperparameters());
}

core::Expected<LoadedPolicy> load_checkpoint_policy(const std::filesystem::path& dir) {
  auto checkpoint = rl::load_checkpoint(dir);
  if (!checkpoint.ok()) return checkpoint.status();
  const rl::CheckpointMetadata& metadata = checkpoint->metadata;
  auto hyperparameters = rl::default_hyperparameters(metadata.algorithm);
  if (!hyperparameters.ok()) return hyperparameters.status();
  if (auto status = rl::apply_checkpoint_hyperparameters(metadata, *hyperparameters);
      !status.ok()) {
    return status;
  }
  auto env = env::make(metadata.env_id, metadata.env_kwargs);
  if (!env.ok()) return env.status();
  auto agent = rl::make_agent(metadata.algorithm, (*env)->spec(), *hyperparameters, metadata.seed);
  if (!agent.ok()) return agent.status();
  if (core::Status status = (*agent)->load_tensors(checkpoint->tensors); !status.ok()) {
    return core::invalid_argument(fmt::format("checkpoint {}: {}", dir.string(), status.message()));
  }
  auto policy = std::make_unique<AgentPolicy>(std::move(*agent), metadata.content_hash);
  return LoadedPolicy{std::move(policy), metadata};
}

}  // namespace tars::eval
