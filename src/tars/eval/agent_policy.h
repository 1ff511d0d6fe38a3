// A trained rl::Agent as an evaluation policy, and loading one from a checkpoint directory.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tars/core/status.h"
#include "tars/eval/policy.h"
#include "tars/rl/agent.h"
#include "tars/rl/checkpoint.h"

namespace tars::eval {

class AgentPolicy final : public Policy {
 public:
  // `checkpoint_hash`: SHA-256 of the model the agent was loaded from (empty when it was not).
  explicit AgentPolicy(std::unique_ptr<rl::Agent> agent, std::string checkpoint_hash = {});

  const env::EnvSpec& env_spec() const override { return agent_->env_spec(); }
  // rl::Agent::act one row at a time, deterministic in PolicyMode::kDeterministic. Row by row
  // because matrix products round differently for different batch sizes (Pendulum-v1 returns
  // differed in the last bits between 1 and 3 copies), and an evaluation must not depend on its
  // number of copies. Stochastic actions come from the agent's own generator, so they do depend
  // on the order of the rows.
  void act(std::span<const float> observations, int batch, store::PolicyMode mode,
           std::span<std::int64_t> discrete, std::span<float> continuous) override;
  // The algorithm name, e.g. "ppo".
  std::string agent_type() const override;
  std::string checkpoint_hash() const override { return checkpoint_hash_; }
  // The agent's hyperparameters as {"name": "value text", ...}, as checkpoint.json stores them.
  std::string hyperparameters_json() const override;
  std::vector<double> recent_losses() const override { return recent_losses_; }

  // Losses the agent reported while it trained (rl::LearnProgress metrics), oldest first.
  void set_recent_losses(std::vector<double> losses) { recent_losses_ = std::move(losses); }
  rl::Agent& agent() { return *agent_; }

 private:
  std::unique_ptr<rl::Agent> agent_;
  std::string checkpoint_hash_;
  std::vector<double> recent_losses_;
};

struct LoadedPolicy {
  std::unique_ptr<AgentPolicy> policy;
  rl::CheckpointMetadata metadata;  // algorithm, env id and kwargs, hyperparameters, content hash
};

// Builds the checkpoint's algorithm for its environment with its hyperparameters and loads its
// weights. Errors name the directory's problem (see rl::load_checkpoint) or the mismatch.
core::Expected<LoadedPolicy> load_checkpoint_policy(const std::filesystem::path& dir);

}  // namespace tars::eval
