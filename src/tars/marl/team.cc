#include "tars/marl/team.h"

#include <fmt/format.h>

#include "tars/rl/algorithms.h"

namespace tars::marl {

namespace {
std::size_t slot(env::OpsAgent agent) { return static_cast<std::size_t>(agent); }
}  // namespace

const Assignments& tars1_hyperparameters(env::OpsAgent agent) {
  // clang-format off
  static const std::array<Assignments, env::kOpsNumAgents> kTars1 = {{
      // policy: DQN 32→64→64→10, double DQN, prioritized replay α 0.6 β 0.4→1, γ 0.95,
      // ε 1.0→0.01 ×0.995 per episode, soft target τ 0.005, Huber loss, gradient clip 10.
      {{"net_arch", "small"}, {"double_q", "true"}, {"prioritized_replay", "true"},
       {"prioritized_replay_alpha", "0.6"}, {"prioritized_replay_beta0", "0.4"},
       {"gamma", "0.95"}, {"exploration_initial_eps", "1.0"}, {"exploration_final_eps", "0.01"},
       {"exploration_decay", "0.995"}, {"tau", "0.005"}, {"target_update_interval", "1"},
       {"max_grad_norm", "10"}, {"learning_rate", "1e-3"}, {"buffer_size", "100000"},
       {"batch_size", "64"}, {"learning_starts", "500"}, {"train_freq", "1"},
       {"gradient_steps", "1"}},
      // consensus: A2C 16→32→32, GAE λ 0.95, lr 7e-4, value coefficient 0.5, gradient clip
      // 0.5. Not T.A.R.S. 1.0's (README, "Orchestrator"): γ 0, as a timeout acts within its step
      // (with 0.99 the other agents' future rewards drowned its own effect), and entropy 0.05
      // instead of 0.01 (with 0.01 it often settled on one timeout for every load).
      {{"net_arch", "32-32"}, {"gae_lambda", "0.95"}, {"learning_rate", "7e-4"},
       {"vf_coef", "0.5"}, {"ent_coef", "0.05"}, {"max_grad_norm", "0.5"}, {"n_steps", "8"},
       {"gamma", "0"}},
      // ethical: PPO 24→64→64 with 32-unit heads, clip 0.2, 10 epochs, minibatch 64,
      // target KL 0.015, lr 3e-4; γ 0.5, as fairness weights act mostly within their step.
      {{"net_arch", "64-64+32"}, {"clip_range", "0.2"}, {"n_epochs", "10"}, {"batch_size", "64"},
       {"target_kl", "0.015"}, {"learning_rate", "3e-4"}, {"n_steps", "512"},
       {"ent_coef", "0.01"}, {"gamma", "0.5"}, {"gae_lambda", "0.95"}},
      // resource: DDPG 20→256→256→1, OU noise θ 0.15 σ 0.2, τ 0.005, actor lr 1e-4, critic lr
      // 1e-3 with weight decay 1e-2.
      {{"net_arch", "medium"}, {"noise_type", "ornstein-uhlenbeck"}, {"noise_std", "0.2"},
       {"tau", "0.005"}, {"learning_rate", "1e-4"}, {"critic_learning_rate", "1e-3"},
       {"critic_weight_decay", "1e-2"}, {"buffer_size", "100000"}, {"batch_size", "64"},
       {"learning_starts", "500"}, {"train_freq", "1"}, {"gradient_steps", "1"},
       {"gamma", "0.99"}},
  }};
  // clang-format on
  return kTars1[slot(agent)];
}

env::EnvSpec ops_agent_env_spec(env::OpsAgent agent) {
  return {.id = fmt::format("ops_sim/{}", env::ops_agent_spec(agent).name),
          .observation_space = env::ops_observation_space(agent),
          .action_space = env::ops_action_space(agent),
          .max_episode_steps = 0,
          .reward_threshold = std::nullopt};
}

core::Expected<env::OpsAgent> parse_ops_agent(std::string_view name) {
  for (const env::OpsAgentSpec& spec : env::kOpsAgents) {
    if (spec.name == name) return spec.agent;
  }
  return core::not_found(
      fmt::format("unknown agent '{}' (agents: policy, consensus, ethical, resource)", name));
}

core::Expected<Team> make_team(std::uint64_t seed,
                               const std::array<Assignments, env::kOpsNumAgents>& overrides) {
  Team team;
  for (const env::OpsAgentSpec& spec : env::kOpsAgents) {
    auto hyperparameters = rl::default_hyperparameters(spec.algorithm);
    if (!hyperparameters.ok()) return hyperparameters.status();
    for (const Assignments* assignments :
         {&tars1_hyperparameters(spec.agent), &overrides[slot(spec.agent)]}) {
      if (core::Status status = hyperparameters->set_all(*assignments); !status.ok()) {
        return core::invalid_argument(fmt::format("agent {}: {}", spec.name, status.message()));
      }
    }
    auto made = rl::make_agent(spec.algorithm, ops_agent_env_spec(spec.agent), *hyperparameters,
                               seed + slot(spec.agent));
    if (!made.ok()) return made.status();
    team[slot(spec.agent)] = std::move(*made);
  }
  return team;
}

}  // namespace tars::marl
