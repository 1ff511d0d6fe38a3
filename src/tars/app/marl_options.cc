#include "tars/app/marl_options.h"

#include <fmt/format.h>

#include <charconv>
#include <string_view>

#include "tars/marl/team.h"
#include "tars/rl/hyperparameters.h"

namespace tars::app {

namespace {

// "B" sets every agent's share, "agent=B" one agent's.
core::Status apply_team_reward_share(std::string_view text, marl::AgentValues& shares) {
  const std::size_t equals = text.find('=');
  const std::string_view value = equals == std::string_view::npos ? text : text.substr(equals + 1);
  double share = 0.0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), share);
  if (error != std::errc() || end != value.data() + value.size() || !(share >= 0.0) ||
      share > 1.0) {
    return core::invalid_argument("expected a number in [0, 1], or agent=number");
  }
  if (equals == std::string_view::npos) {
    shares.fill(share);
    return {};
  }
  auto agent = marl::parse_ops_agent(text.substr(0, equals));
  if (!agent.ok()) return agent.status();
  shares[static_cast<std::size_t>(*agent)] = share;
  return {};
}

}  // namespace

void add_orchestrator_flags(CLI::App& command, OrchestratorFlags& flags) {
  command
      .add_option("--seed", flags.seed, "Seed: agent i uses seed + i, episode e ops_sim seed + e")
      ->default_val(0);
  command.add_option("--episode-length", flags.episode_length,
                     "ops_sim steps per episode (default: ops_sim's)");
  command.add_option("--coordination", flags.coordination, "nash, pareto or independent")
      ->default_val("nash");
  command.add_option("--pareto-rule", flags.pareto_rule, "weighted_sum, max_min or centroid")
      ->default_val("weighted_sum");
  command.add_option("--team-reward-share", flags.team_reward_shares,
                     "beta in [0, 1]: an agent learns from (1 - beta) own reward + beta global "
                     "reward G; B for every agent or agent=B, repeatable (default: policy 0, the "
                     "others 0.5)");
  command.add_option("--set", flags.sets,
                     "Agent hyperparameter agent.key=value, e.g. policy.gamma=0.9 (repeatable)");
}

core::Expected<marl::OrchestratorOptions> orchestrator_options(const OrchestratorFlags& flags) {
  marl::OrchestratorOptions options;
  options.seed = flags.seed;
  if (flags.episode_length != 0) options.sim.episode_length = flags.episode_length;
  auto mode = marl::parse_coordination_mode(flags.coordination);
  if (!mode.ok()) return core::invalid_argument("--coordination: " + mode.status().message());
  options.coordination.mode = *mode;
  auto rule = marl::parse_pareto_rule(flags.pareto_rule);
  if (!rule.ok()) return core::invalid_argument("--pareto-rule: " + rule.status().message());
  options.coordination.pareto_rule = *rule;
  for (const std::string& text : flags.team_reward_shares) {
    if (core::Status status = apply_team_reward_share(text, options.team_reward_share);
        !status.ok()) {
      return core::invalid_argument(
          fmt::format("--team-reward-share '{}': {}", text, status.message()));
    }
  }
  for (const std::string& text : flags.sets) {
    const std::size_t dot = text.find('.');
    if (dot == std::string::npos) {
      return core::invalid_argument(
          fmt::format("--set '{}': expected agent.key=value, e.g. policy.gamma=0.9", text));
    }
    auto agent = marl::parse_ops_agent(text.substr(0, dot));
    if (!agent.ok()) return core::invalid_argument("--set: " + agent.status().message());
    auto assignment = rl::parse_assignment(text.substr(dot + 1));
    if (!assignment.ok()) return core::invalid_argument("--set: " + assignment.status().message());
    options.hyperparameters[static_cast<std::size_t>(*agent)].push_back(*assignment);
  }
  return options;
}

}  // namespace tars::app
