// The team as a directory: one rl checkpoint per agent (policy/, consensus/, ethical/,
// resource/) and team.json with the orchestrator's settings and state.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "tars/core/file_io.h"
#include "tars/marl/orchestrator.h"
#include "tars/rl/agent_checkpoint.h"
#include "tars/rl/algorithms.h"
#include "tars/rl/training_state.h"

namespace tars::marl {

namespace {

constexpr char kTeamFile[] = "team.json";
// 2: team_reward_share is one β per agent.
constexpr std::int64_t kTeamFormatVersion = 2;
constexpr std::size_t kAgents = env::kOpsNumAgents;

std::filesystem::path agent_dir(const std::filesystem::path& dir, std::size_t i) {
  return dir / std::string(env::kOpsAgents[i].name);
}

core::Status with_context(const core::Status& status, std::string_view context) {
  return {status.code(), fmt::format("{}: {}", context, status.message())};
}

// Agent i's checkpoint under `dir`: it must be of the agent's algorithm and ops_sim spaces.
core::Expected<rl::Checkpoint> agent_checkpoint(const std::filesystem::path& dir, std::size_t i) {
  const env::OpsAgentSpec& spec = env::kOpsAgents[i];
  const std::string context = fmt::format("agent {}", spec.name);
  auto checkpoint = rl::load_checkpoint(agent_dir(dir, i));
  if (!checkpoint.ok()) return with_context(checkpoint.status(), context);
  const rl::CheckpointMetadata& metadata = checkpoint->metadata;
  const std::string env_id = ops_agent_env_spec(spec.agent).id;
  if (metadata.algorithm != spec.algorithm || metadata.env_id != env_id) {
    return core::invalid_argument(fmt::format("{}: the checkpoint is {} on {}, expected {} on {}",
                                              context, metadata.algorithm, metadata.env_id,
                                              spec.algorithm, env_id));
  }
  return checkpoint;
}

// team.json of `dir`, its format version checked.
core::Expected<rl::StateReader> read_team_file(const std::filesystem::path& dir) {
  const std::string context = fmt::format("team checkpoint '{}': {}", dir.string(), kTeamFile);
  auto text = core::read_file(dir / kTeamFile);
  if (!text.ok()) return with_context(text.status(), context);
  rl::StateReader team(rl::TrainingState{{}, *text});
  const auto version = team.integer("format_version");
  if (!version) return with_context(team.apply(), context);
  if (*version != kTeamFormatVersion) {
    return core::failed_precondition(
        fmt::format("{}: format version {} is not {}, the one this tars reads", context, *version,
                    kTeamFormatVersion));
  }
  return team;
}

void save_settings(rl::StateWriter out, const OrchestratorOptions& options) {
  out.unsigned_integer("seed", options.seed);
  out.integer("episode_length", options.sim.episode_length);
  out.text("coordination", coordination_mode_name(options.coordination.mode));
  out.text("pareto_rule", pareto_rule_name(options.coordination.pareto_rule));
  out.numbers("team_reward_share", options.team_reward_share);
}

// team.json's settings into `options`; problems are recorded in `in`.
void read_settings(rl::StateReader in, OrchestratorOptions& options) {
  if (const auto seed = in.integer("seed")) options.seed = *seed;
  if (const auto length = in.integer("episode_length")) {
    options.sim.episode_length = static_cast<int>(*length);
  }
  if (const auto mode = in.text("coordination")) {
    auto parsed = parse_coordination_mode(*mode);
    if (parsed.ok()) {
      options.coordination.mode = *parsed;
    } else {
      in.invalid("coordination", parsed.status().message());
    }
  }
  if (const auto rule = in.text("pareto_rule")) {
    auto parsed = parse_pareto_rule(*rule);
    if (parsed.ok()) {
      options.coordination.pareto_rule = *parsed;
    } else {
      in.invalid("pareto_rule", parsed.status().message());
    }
  }
  if (const auto shares = in.numbers("team_reward_share")) {
    if (shares->size() == options.team_reward_share.size() &&
        std::all_of(shares->begin(), shares->end(),
                    [](double b) { return b >= 0.0 && b <= 1.0; })) {
      std::copy(shares->begin(), shares->end(), options.team_reward_share.begin());
    } else {
      in.invalid("team_reward_share", "must hold one share in [0, 1] per agent");
    }
  }
}

// The first setting in which `saved` and `current` differ, as an error.
core::Status compare_settings(const OrchestratorOptions& saved,
                              const OrchestratorOptions& current) {
  const auto differs = [](std::string_view setting, const auto& a, const auto& b) {
    return core::invalid_argument(fmt::format(
        "{} {}: the team was saved with {}, this orchestrator has {}", kTeamFile, setting, a, b));
  };
  if (saved.seed != current.seed) return differs("seed", saved.seed, current.seed);
  if (saved.sim.episode_length != current.sim.episode_length) {
    return differs("episode_length", saved.sim.episode_length, current.sim.episode_length);
  }
  if (saved.coordination.mode != current.coordination.mode) {
    return differs("coordination", coordination_mode_name(saved.coordination.mode),
                   coordination_mode_name(current.coordination.mode));
  }
  if (saved.coordination.pareto_rule != current.coordination.pareto_rule) {
    return differs("pareto_rule", pareto_rule_name(saved.coordination.pareto_rule),
                   pareto_rule_name(current.coordination.pareto_rule));
  }
  if (saved.team_reward_share != current.team_reward_share) {
    return differs("team_reward_share", fmt::format("{}", fmt::join(saved.team_reward_share, ", ")),
                   fmt::format("{}", fmt::join(current.team_reward_share, ", ")));
  }
  return {};
}

void fields(const GlobalReward& reward, rl::StateWriter& out) { reward.save(out); }
void fields(GlobalReward& reward, rl::StateReader& in) { reward.load(in); }
void fields(const AgentStats& stats, rl::StateWriter& out) { stats.save(out); }
void fields(AgentStats& stats, rl::StateReader& in) { stats.load(in); }

}  // namespace

template <typename Self, typename Archive>
void Orchestrator::state_fields(Self& self, Archive& archive) {
  archive.integer("steps", self.steps_);
  archive.integer("episodes", self.episode_);
  archive.generator("rng", self.rng_);
  Archive reward = archive.scope("global_reward");
  fields(self.global_reward_, reward);
  Archive stats = archive.scope("agent_stats");
  Archive agent_rewards = archive.scope("agent_reward_window");
  for (std::size_t i = 0; i < kAgents; ++i) {
    Archive agent = stats.scope(env::kOpsAgents[i].name);
    fields(self.stats_[i], agent);
    agent_rewards.window(env::kOpsAgents[i].name, self.agent_rewards_[i]);
  }
  archive.window("global_reward_window", self.global_rewards_);
  archive.window("conflict_window", self.conflict_steps_);
  archive.window("nash_converged_window", self.nash_converged_);
  archive.window("nash_iterations_window", self.nash_iterations_);
  archive.window("nash_exploitability_window", self.nash_exploitability_);
  archive.window("nash_seconds_window", self.nash_seconds_);
}

core::Status Orchestrator::save(const std::filesystem::path& dir, bool replay_buffers) const {
  std::lock_guard lock(mutex_);
  if (episode_steps_ > 0 || external_pending_) {
    return core::failed_precondition(
        fmt::format("the team can be saved between episodes only: episode {} has run {} steps",
                    episode_, episode_steps_));
  }
  for (std::size_t i = 0; i < kAgents; ++i) {
    rl::CheckpointMetadata metadata;
    metadata.seed = options_.seed + i;
    metadata.steps = team_[i]->progress().steps;
    auto saved = rl::save_agent(agent_dir(dir, i), *team_[i], metadata, replay_buffers);
    if (!saved.ok()) {
      return with_context(saved.status(), fmt::format("agent {}", env::kOpsAgents[i].name));
    }
  }
  rl::StateWriter team;
  team.integer("format_version", kTeamFormatVersion);
  save_settings(team.scope("settings"), options_);
  rl::StateWriter state = team.scope("state");
  state_fields(*this, state);
  // Written last, as checkpoint.json: the agents' directories are complete when it appears.
  return core::write_file_atomically(
      dir / kTeamFile, nlohmann::ordered_json::parse(team.finish().json).dump(2) + "\n");
}

core::Status Orchestrator::load(const std::filesystem::path& dir) {
  std::lock_guard lock(mutex_);
  auto team = read_team_file(dir);
  if (!team.ok()) return team.status();
  OrchestratorOptions saved = options_;
  read_settings(team->scope("settings"), saved);
  if (core::Status status = team->apply(); !status.ok()) return with_context(status, kTeamFile);
  if (core::Status status = compare_settings(saved, options_); !status.ok()) return status;
  for (std::size_t i = 0; i < kAgents; ++i) {
    auto checkpoint = agent_checkpoint(dir, i);
    if (!checkpoint.ok()) return checkpoint.status();
    if (core::Status status = rl::restore_agent(agent_dir(dir, i), *checkpoint, *team_[i]);
        !status.ok()) {
      return with_context(status, fmt::format("agent {}", env::kOpsAgents[i].name));
    }
  }
  rl::StateReader state = team->scope("state");
  state_fields(*this, state);
  if (core::Status status = team->apply(); !status.ok()) return with_context(status, kTeamFile);
  return {};
}

core::Expected<OrchestratorOptions> saved_team_options(const std::filesystem::path& dir,
                                                       OrchestratorOptions base) {
  auto team = read_team_file(dir);
  if (!team.ok()) return team.status();
  OrchestratorOptions options = base;
  read_settings(team->scope("settings"), options);
  if (core::Status status = team->apply(); !status.ok()) return with_context(status, kTeamFile);
  for (std::size_t i = 0; i < kAgents; ++i) {
    auto checkpoint = agent_checkpoint(dir, i);
    if (!checkpoint.ok()) return checkpoint.status();
    auto hyperparameters = rl::default_hyperparameters(env::kOpsAgents[i].algorithm);
    if (!hyperparameters.ok()) return hyperparameters.status();
    if (core::Status status =
            rl::apply_checkpoint_hyperparameters(checkpoint->metadata, *hyperparameters);
        !status.ok()) {
      return with_context(status, fmt::format("agent {}", env::kOpsAgents[i].name));
    }
    options.hyperparameters[i] = hyperparameters->as_text();
    options.hyperparameters[i].insert(options.hyperparameters[i].end(),
                                      base.hyperparameters[i].begin(),
                                      base.hyperparameters[i].end());
  }
  return options;
}

}  // namespace tars::marl
