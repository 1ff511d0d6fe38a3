// The multi-agent orchestrator (DESIGN.md §3): every step the four agents propose candidate
// actions with their own value estimates, the coordinator resolves the joint action (Nash or
// Pareto), the joint action runs in ops_sim (simulation mode) or in a real system that reports
// states and rewards over the API (external mode), the team's global reward is computed, and
// every agent learns online from its transition. All public methods are thread-safe: a step
// holds the lock for its duration, readers get copies.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/core/time.h"
#include "tars/env/ops_sim/ops_sim.h"
#include "tars/marl/agent_stats.h"
#include "tars/marl/coordinator.h"
#include "tars/marl/global_reward.h"
#include "tars/marl/team.h"
#include "tars/rl/rolling_mean.h"

namespace tars::marl {

struct OrchestratorOptions {
  std::uint64_t seed = 0;  // agent i draws from seed + i; episode e runs ops_sim seed + e
  env::OpsSimConfig sim = {};
  CoordinatorOptions coordination = {};
  GlobalRewardOptions global_reward = {};
  std::array<Assignments, env::kOpsNumAgents> hyperparameters = {};  // over T.A.R.S. 1.0's
  double resource_spread = 0.2;  // the resource agent's alternatives: proposal ± spread
  // β per agent: agent i learns from (1 − β_i) · its own reward + β_i · the step's global reward G,
  // so that no agent wins at the others' expense and the team optimises what it is judged by.
  // The policy agent learns its own reward alone: admission acts within its step on its own
  // goodput and violations, and G's other terms only add noise its Q-values cannot average out
  // (README, "Orchestrator").
  AgentValues team_reward_share = {0.0, 0.5, 0.5, 0.5};
  std::size_t metrics_window = 1000;      // steps behind metrics() means
  std::size_t conflict_log = 200;         // recent executed conflicts kept for conflicts()
  std::size_t hypervolume_every = 10;     // steps between hypervolume_history() samples
  std::size_t hypervolume_history = 500;  // samples kept
};

struct HypervolumeSample {
  std::int64_t step = 0;
  double value = 0.0;
};

using Observations = std::array<std::vector<float>, env::kOpsNumAgents>;

struct StepReport {
  std::int64_t step = 0;     // steps taken so far, this one included
  std::int64_t episode = 0;  // episode the step belongs to (0-based)
  TeamCandidates candidates = {};
  Coordination coordination;
  AgentValues rewards = {};  // per-agent rewards of this step (simulation mode)
  double global_reward = 0.0;
  bool episode_ended = false;
  core::Timestamp time = {};
};

struct ConflictRecord {
  std::int64_t step = 0;
  std::int64_t episode = 0;
  ConflictType type = ConflictType::kAdmissionVsFairness;
  std::array<bool, env::kOpsNumAgents> agents = {};
  core::Timestamp time = {};
};

struct EpisodeSummary {
  std::int64_t episode = 0;
  std::int64_t steps = 0;           // steps of this episode
  double global_reward_mean = 0.0;  // mean global reward per step
  double conflict_rate = 0.0;       // share of its steps that executed a conflict
  std::array<AgentSnapshot, env::kOpsNumAgents> agents = {};
};

struct OrchestratorMetrics {
  std::int64_t steps = 0;
  std::int64_t episodes = 0;
  double global_reward = 0.0;        // last step
  double global_reward_mean = 0.0;   // over the metrics window
  double global_reward_trend = 0.0;  // newer half of the window minus older half
  AgentValues agent_rewards = {};    // mean per-step reward over the window
  double conflict_rate = 0.0;        // share of steps that executed a conflict
  double nash_converged = 0.0;       // share of steps whose solver converged
  double nash_iterations = 0.0;      // mean
  double nash_exploitability = 0.0;  // mean
  double nash_seconds = 0.0;         // mean time to build and solve the game
  double steps_per_second = 0.0;     // over the last (up to) 100 steps
};

class Orchestrator {
 public:
  static core::Expected<std::unique_ptr<Orchestrator>> create(OrchestratorOptions options);

  // Simulation mode: one ops_sim step (the episode resets itself).
  core::Expected<StepReport> step();

  // External mode: `states` are the agents' observations now; `rewards` what each agent earned
  // since the previous call (ignored on an episode's first call). The agents learn from the
  // previous call's transition, then the joint action for `states` is returned.
  core::Expected<StepReport> external_step(const Observations& states, const AgentValues& rewards,
                                           const ServiceContext& context);
  // Ends the external episode: the last transition (with `rewards`, and `final_states` or the
  // last states as its next observation) is learned as truncated.
  core::Status end_external_episode(const AgentValues& rewards,
                                    const std::optional<Observations>& final_states);

  AgentSnapshot agent(env::OpsAgent agent) const;
  rl::Hyperparameters hyperparameters(env::OpsAgent agent) const;
  // As rl::Agent::set_hyperparameters: validated first, cold ones refused, weights kept.
  core::Status set_hyperparameters(env::OpsAgent agent, const Assignments& assignments);
  std::optional<StepReport> last_step() const;
  // Newest first.
  std::vector<ConflictRecord> conflicts(std::size_t limit) const;
  OrchestratorMetrics metrics() const;
  const CoordinatorOptions& coordination_options() const { return coordinator_.options(); }
  // Hypervolume of the Pareto frontier every hypervolume_every steps, oldest first.
  std::vector<HypervolumeSample> hypervolume_history() const;
  // Statistics of the rewards seen; freeze_global_reward makes G compare against fixed ones.
  RewardStatistics reward_statistics() const;
  // The team as it is now, acting deterministically (no exploration) and not learning, one
  // episode per seed on a fresh ops_sim; the training state (RNG included) is untouched. G uses a
  // copy of the global reward as it stands (freeze it first to compare teams).
  core::Expected<TeamRun> evaluate(const std::vector<std::uint64_t>& seeds);
  void freeze_global_reward(const RewardStatistics& statistics);

  // Called (under the lock, from the stepping thread) at the end of every episode.
  void on_episode(std::function<void(const EpisodeSummary&)> callback);

  // Checkpoint of the whole team (orchestrator_checkpoint.cc), between episodes only (ops_sim's
  // state is not saved): one rl checkpoint directory per agent under `dir` (weights, training
  // state and, with `replay_buffers`, the replay memories), then `dir`/team.json with the
  // orchestrator's settings (seed, episode length, coordination, team reward share) and state
  // (step and episode counters, RNG, global-reward window, statistics and metric windows).
  core::Status save(const std::filesystem::path& dir, bool replay_buffers) const;
  // Restores save() into an orchestrator created with the saved options (saved_team_options);
  // the settings, each agent's algorithm, shapes and state are checked, an error naming what
  // differs. The next step() starts the saved run's next episode. After an error the orchestrator
  // may be partly restored: discard it.
  core::Status load(const std::filesystem::path& dir);

 private:
  Orchestrator(OrchestratorOptions options, Team team, env::OpsSim sim);

  // `explore`: the learning agent's action (else its deterministic one) first.
  core::Status propose(std::size_t agent, std::span<const float> observation, bool explore,
                       AgentCandidates& out);
  core::Expected<StepReport> decide(const Observations& observations, const ServiceContext& context,
                                    bool explore);
  core::Status learn(StepReport& report,
                     const std::array<std::span<const float>, env::kOpsNumAgents>& next,
                     bool truncated);
  void finish_episode();
  // The orchestrator's own state, for an rl::StateWriter or rl::StateReader
  // (orchestrator_checkpoint.cc).
  template <typename Self, typename Archive>
  static void state_fields(Self& self, Archive& archive);

  mutable std::mutex mutex_;
  OrchestratorOptions options_;
  Team team_;
  env::OpsSim sim_;
  Coordinator coordinator_;
  GlobalReward global_reward_;
  core::Generator rng_;
  std::array<AgentStats, env::kOpsNumAgents> stats_;
  Observations observations_;  // what the agents acted on
  std::int64_t steps_ = 0;
  std::int64_t episode_ = 0;
  std::int64_t episode_steps_ = 0;
  double episode_global_reward_ = 0.0;
  std::int64_t episode_conflict_steps_ = 0;
  bool external_pending_ = false;  // external mode: a decision waits for its rewards
  std::optional<StepReport> last_;
  std::deque<ConflictRecord> conflicts_;
  std::deque<HypervolumeSample> hypervolumes_;
  std::deque<std::chrono::steady_clock::time_point> step_times_;  // the last 100 steps
  rl::RollingMean global_rewards_;
  std::array<rl::RollingMean, env::kOpsNumAgents> agent_rewards_;
  rl::RollingMean conflict_steps_;
  rl::RollingMean nash_converged_;
  rl::RollingMean nash_iterations_;
  rl::RollingMean nash_exploitability_;
  rl::RollingMean nash_seconds_;
  std::function<void(const EpisodeSummary&)> on_episode_;
  // Scratch for proposals.
  std::vector<std::int64_t> all_actions_;
  std::vector<double> all_scores_;
};

// Replica fraction and utilisation of the simulated service, for the conflict rules.
ServiceContext service_context(const env::OpsSim& sim);

// `base` with the settings of the team saved in `dir` (team.json) and each agent's
// hyperparameters from its checkpoint, followed by `base`'s own hyperparameter overrides.
core::Expected<OrchestratorOptions> saved_team_options(const std::filesystem::path& dir,
                                                       OrchestratorOptions base);

}  // namespace tars::marl
