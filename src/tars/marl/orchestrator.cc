#include "tars/marl/orchestrator.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace tars::marl {

namespace {

constexpr std::size_t kAgents = env::kOpsNumAgents;
constexpr std::size_t kStepTimes = 100;

env::OpsAgent agent_at(std::size_t i) { return static_cast<env::OpsAgent>(i); }

template <typename T, typename Make>
std::array<T, kAgents> per_agent(Make make) {
  return {make(0), make(1), make(2), make(3)};
}

// Two candidates around the resource proposal, reflected back into [0, 1].
std::array<double, 2> resource_alternatives(double proposal, double spread) {
  if (proposal - spread < 0.0) return {proposal + spread, proposal + 2 * spread};
  if (proposal + spread > 1.0) return {proposal - spread, proposal - 2 * spread};
  return {proposal - spread, proposal + spread};
}

}  // namespace

ServiceContext service_context(const env::OpsSim& sim) {
  const env::OpsSimMetrics& m = sim.metrics();
  const env::OpsSimConfig& c = sim.config();
  const int range = c.max_replicas - c.min_replicas;
  return {.utilisation = m.utilisation,
          .replica_fraction =
              range > 0 ? static_cast<double>(m.replicas_current - c.min_replicas) / range : 0.0,
          .replica_step = range > 0 ? 1.0 / range : 0.0};
}

core::Expected<std::unique_ptr<Orchestrator>> Orchestrator::create(OrchestratorOptions options) {
  auto sim = env::OpsSim::create(options.sim);
  if (!sim.ok()) return sim.status();
  auto team = make_team(options.seed, options.hyperparameters);
  if (!team.ok()) return team.status();
  return std::unique_ptr<Orchestrator>(
      new Orchestrator(std::move(options), std::move(*team), std::move(*sim)));
}

Orchestrator::Orchestrator(OrchestratorOptions options, Team team, env::OpsSim sim)
    : options_(std::move(options)),
      team_(std::move(team)),
      sim_(std::move(sim)),
      coordinator_(options_.coordination),
      global_reward_(options_.global_reward),
      rng_(options_.seed + kAgents),
      stats_(per_agent<AgentStats>([](std::size_t i) { return AgentStats(agent_at(i)); })),
      global_rewards_(options_.metrics_window),
      agent_rewards_(per_agent<rl::RollingMean>(
          [this](std::size_t) { return rl::RollingMean(options_.metrics_window); })),
      conflict_steps_(options_.metrics_window),
      nash_converged_(options_.metrics_window),
      nash_iterations_(options_.metrics_window),
      nash_exploitability_(options_.metrics_window),
      nash_seconds_(options_.metrics_window) {
  for (std::size_t i = 0; i < kAgents; ++i) {
    observations_[i].assign(static_cast<std::size_t>(env::kOpsAgents[i].obs_dim), 0.0f);
  }
}

core::Status Orchestrator::propose(std::size_t i, std::span<const float> observation, bool explore,
                                   AgentCandidates& out) {
  rl::Agent& agent = *team_[i];
  const int n = env::kOpsAgents[i].num_actions;
  out = {};
  if (n > 0) {
    // The proposal first, then the agent's best other actions by its own scores.
    std::int64_t proposal = 0;
    if (explore) {
      if (core::Status s = agent.explore(observation, proposal, {}); !s.ok()) return s;
    } else {
      agent.act(observation, 1, /*deterministic=*/true, std::span(&proposal, 1), {});
    }
    all_actions_.resize(static_cast<std::size_t>(n));
    std::iota(all_actions_.begin(), all_actions_.end(), 0);
    all_scores_.resize(static_cast<std::size_t>(n));
    if (core::Status s = agent.score_actions(observation, all_actions_, {}, all_scores_); !s.ok()) {
      return s;
    }
    out.count = 1;
    out.action[0] = static_cast<double>(proposal);
    out.score[0] = all_scores_[static_cast<std::size_t>(proposal)];
    std::stable_sort(all_actions_.begin(), all_actions_.end(), [&](std::int64_t a, std::int64_t b) {
      return all_scores_[static_cast<std::size_t>(a)] > all_scores_[static_cast<std::size_t>(b)];
    });
    for (std::int64_t a : all_actions_) {
      if (out.count == kMaxCandidates) break;
      if (a == proposal) continue;
      out.action[static_cast<std::size_t>(out.count)] = static_cast<double>(a);
      out.score[static_cast<std::size_t>(out.count++)] = all_scores_[static_cast<std::size_t>(a)];
    }
  } else {
    float proposal = 0.0f;
    std::int64_t unused = 0;
    if (explore) {
      if (core::Status s = agent.explore(observation, unused, std::span(&proposal, 1)); !s.ok()) {
        return s;
      }
    } else {
      agent.act(observation, 1, /*deterministic=*/true, {}, std::span(&proposal, 1));
    }
    const std::array<double, 2> others = resource_alternatives(proposal, options_.resource_spread);
    const std::array<float, kMaxCandidates> actions = {proposal, static_cast<float>(others[0]),
                                                       static_cast<float>(others[1])};
    out.count = kMaxCandidates;
    for (std::size_t k = 0; k < actions.size(); ++k) out.action[k] = actions[k];
    if (core::Status s = agent.score_actions(observation, {}, actions, out.score); !s.ok()) {
      return s;
    }
  }
  normalise_scores(out);
  return {};
}

core::Expected<StepReport> Orchestrator::decide(const Observations& observations,
                                                const ServiceContext& context, bool explore) {
  StepReport report;
  report.episode = episode_;
  for (std::size_t i = 0; i < kAgents; ++i) {
    if (core::Status s = propose(i, observations[i], explore, report.candidates[i]); !s.ok()) {
      return s;
    }
  }
  auto coordination = coordinator_.coordinate(report.candidates, context, rng_);
  if (!coordination.ok()) return coordination.status();
  report.coordination = std::move(*coordination);
  return report;
}

core::Status Orchestrator::learn(StepReport& report,
                                 const std::array<std::span<const float>, kAgents>& next,
                                 bool truncated) {
  const Coordination& c = report.coordination;
  report.global_reward = global_reward_.add(report.rewards, c.confidence, c.executed.count);
  for (std::size_t i = 0; i < kAgents; ++i) {
    const double share = options_.team_reward_share[i];
    const double executed = report.candidates[i].action[static_cast<std::size_t>(c.choice[i])];
    const auto continuous = static_cast<float>(executed);
    const bool discrete = env::kOpsAgents[i].num_actions > 0;
    const rl::Transition transition{
        .observation = observations_[i],
        .discrete_action = discrete ? static_cast<std::int64_t>(executed) : 0,
        .continuous_action = discrete ? std::span<const float>() : std::span(&continuous, 1),
        .reward = (1.0 - share) * report.rewards[i] + share * report.global_reward,
        .next_observation = next[i],
        .terminated = false,
        .truncated = truncated};
    if (core::Status s = team_[i]->observe(transition); !s.ok()) {
      return core::failed_precondition(
          fmt::format("agent {} could not learn: {}", env::kOpsAgents[i].name, s.message()));
    }
    stats_[i].add_step(report.rewards[i]);
    agent_rewards_[i].add(report.rewards[i]);
  }
  report.step = ++steps_;
  report.time = core::now();
  step_times_.push_back(std::chrono::steady_clock::now());
  if (step_times_.size() > kStepTimes) step_times_.pop_front();
  ++episode_steps_;
  episode_global_reward_ += report.global_reward;
  global_rewards_.add(report.global_reward);
  conflict_steps_.add(c.executed.count > 0 ? 1.0 : 0.0);
  episode_conflict_steps_ += c.executed.count > 0;
  if (!c.nash.method.empty()) {
    nash_converged_.add(c.nash.converged ? 1.0 : 0.0);
    nash_iterations_.add(static_cast<double>(c.nash.iterations));
    nash_exploitability_.add(c.nash.exploitability);
    nash_seconds_.add(c.nash.seconds);
    if (report.step %
            static_cast<std::int64_t>(std::max<std::size_t>(options_.hypervolume_every, 1)) ==
        0) {
      hypervolumes_.push_back({.step = report.step, .value = c.pareto.hypervolume});
      if (hypervolumes_.size() > options_.hypervolume_history) hypervolumes_.pop_front();
    }
  }
  for (int k = 0; k < c.executed.count; ++k) {
    const Conflict& conflict = c.executed.items[static_cast<std::size_t>(k)];
    conflicts_.push_front({.step = report.step,
                           .episode = episode_,
                           .type = conflict.type,
                           .agents = conflict.agents,
                           .time = report.time});
    if (conflicts_.size() > options_.conflict_log) conflicts_.pop_back();
  }
  report.episode_ended = truncated;
  last_ = report;
  if (truncated) finish_episode();
  return {};
}

void Orchestrator::finish_episode() {
  EpisodeSummary summary{
      .episode = episode_,
      .steps = episode_steps_,
      .global_reward_mean = episode_steps_ > 0 ? episode_global_reward_ / episode_steps_ : 0.0,
      .conflict_rate =
          episode_steps_ > 0 ? static_cast<double>(episode_conflict_steps_) / episode_steps_ : 0.0,
      .agents = {}};
  for (std::size_t i = 0; i < kAgents; ++i) {
    team_[i]->end_episode();
    stats_[i].end_episode();
    summary.agents[i] = stats_[i].snapshot(*team_[i]);
  }
  ++episode_;
  episode_steps_ = 0;
  episode_global_reward_ = 0.0;
  episode_conflict_steps_ = 0;
  if (on_episode_) on_episode_(summary);
}

core::Expected<StepReport> Orchestrator::step() {
  std::lock_guard lock(mutex_);
  if (external_pending_) {
    return core::failed_precondition("the orchestrator is in an external episode");
  }
  if (sim_.needs_reset()) sim_.reset(options_.seed + static_cast<std::uint64_t>(episode_));
  for (std::size_t i = 0; i < kAgents; ++i) {
    const std::span<const float> observation = sim_.observation(agent_at(i));
    std::copy(observation.begin(), observation.end(), observations_[i].begin());
  }
  auto report = decide(observations_, service_context(sim_), /*explore=*/true);
  if (!report.ok()) return report.status();
  auto stepped = sim_.step(report->coordination.action);
  if (!stepped.ok()) return stepped.status();
  report->rewards = stepped->rewards;
  const std::array<std::span<const float>, kAgents> next = {
      sim_.observation(env::OpsAgent::kPolicy), sim_.observation(env::OpsAgent::kConsensus),
      sim_.observation(env::OpsAgent::kEthical), sim_.observation(env::OpsAgent::kResource)};
  if (core::Status s = learn(*report, next, stepped->truncated || stepped->terminated); !s.ok()) {
    return s;
  }
  return report;
}

core::Expected<StepReport> Orchestrator::external_step(const Observations& states,
                                                       const AgentValues& rewards,
                                                       const ServiceContext& context) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < kAgents; ++i) {
    if (states[i].size() != observations_[i].size()) {
      return core::invalid_argument(fmt::format("agent {}: state has {} values, expected {}",
                                                env::kOpsAgents[i].name, states[i].size(),
                                                observations_[i].size()));
    }
  }
  if (external_pending_) {
    StepReport previous = *last_;
    previous.rewards = rewards;
    const std::array<std::span<const float>, kAgents> next = {states[0], states[1], states[2],
                                                              states[3]};
    if (core::Status s = learn(previous, next, false); !s.ok()) return s;
  }
  observations_ = states;
  auto report = decide(observations_, context, /*explore=*/true);
  if (!report.ok()) return report.status();
  report->step = steps_ + 1;
  report->time = core::now();
  last_ = *report;
  external_pending_ = true;
  return report;
}

core::Status Orchestrator::end_external_episode(const AgentValues& rewards,
                                                const std::optional<Observations>& final_states) {
  std::lock_guard lock(mutex_);
  if (!external_pending_) {
    return core::failed_precondition("no external episode is running: call step first");
  }
  const Observations& last = final_states ? *final_states : observations_;
  for (std::size_t i = 0; i < kAgents; ++i) {
    if (last[i].size() != observations_[i].size()) {
      return core::invalid_argument(fmt::format("agent {}: final state has {} values, expected {}",
                                                env::kOpsAgents[i].name, last[i].size(),
                                                observations_[i].size()));
    }
  }
  StepReport previous = *last_;
  previous.rewards = rewards;
  const std::array<std::span<const float>, kAgents> next = {last[0], last[1], last[2], last[3]};
  external_pending_ = false;
  return learn(previous, next, true);
}

AgentSnapshot Orchestrator::agent(env::OpsAgent agent) const {
  std::lock_guard lock(mutex_);
  const auto i = static_cast<std::size_t>(agent);
  return stats_[i].snapshot(*team_[i]);
}

rl::Hyperparameters Orchestrator::hyperparameters(env::OpsAgent agent) const {
  std::lock_guard lock(mutex_);
  return team_[static_cast<std::size_t>(agent)]->hyperparameters();
}

core::Status Orchestrator::set_hyperparameters(env::OpsAgent agent,
                                               const Assignments& assignments) {
  std::lock_guard lock(mutex_);
  return team_[static_cast<std::size_t>(agent)]->set_hyperparameters(assignments);
}

std::optional<StepReport> Orchestrator::last_step() const {
  std::lock_guard lock(mutex_);
  return last_;
}

std::vector<ConflictRecord> Orchestrator::conflicts(std::size_t limit) const {
  std::lock_guard lock(mutex_);
  const std::size_t n = std::min(limit, conflicts_.size());
  return {conflicts_.begin(), conflicts_.begin() + static_cast<std::ptrdiff_t>(n)};
}

OrchestratorMetrics Orchestrator::metrics() const {
  std::lock_guard lock(mutex_);
  OrchestratorMetrics out{.steps = steps_,
                          .episodes = episode_,
                          .global_reward = last_ ? last_->global_reward : 0.0,
                          .global_reward_mean = global_rewards_.mean(),
                          .global_reward_trend = global_rewards_.trend(),
                          .agent_rewards = {},
                          .conflict_rate = conflict_steps_.mean(),
                          .nash_converged = nash_converged_.mean(),
                          .nash_iterations = nash_iterations_.mean(),
                          .nash_exploitability = nash_exploitability_.mean(),
                          .nash_seconds = nash_seconds_.mean(),
                          .steps_per_second = 0.0};
  if (step_times_.size() >= 2) {
    const double span =
        std::chrono::duration<double>(step_times_.back() - step_times_.front()).count();
    if (span > 0) out.steps_per_second = static_cast<double>(step_times_.size() - 1) / span;
  }
  for (std::size_t i = 0; i < kAgents; ++i) out.agent_rewards[i] = agent_rewards_[i].mean();
  return out;
}

std::vector<HypervolumeSample> Orchestrator::hypervolume_history() const {
  std::lock_guard lock(mutex_);
  return {hypervolumes_.begin(), hypervolumes_.end()};
}

RewardStatistics Orchestrator::reward_statistics() const {
  std::lock_guard lock(mutex_);
  return global_reward_.statistics();
}

core::Expected<TeamRun> Orchestrator::evaluate(const std::vector<std::uint64_t>& seeds) {
  std::lock_guard lock(mutex_);
  // A mixed equilibrium would be drawn from rng_; restored afterwards, so that evaluating never
  // changes how training goes on. (The coordination game is a potential game, so the equilibrium
  // executed is pure today and no draw happens: this guards solvers that return mixed ones.)
  struct RestoreRng {
    core::Generator& rng;
    const core::Generator saved;
    ~RestoreRng() { rng = saved; }
  } restore_rng{rng_, rng_};
  auto sim = env::OpsSim::create(options_.sim);
  if (!sim.ok()) return sim.status();
  GlobalReward global = global_reward_;
  TeamRunRecorder recorder;
  std::vector<double> global_rewards;
  Observations observations = observations_;
  for (std::uint64_t seed : seeds) {
    sim->reset(seed);
    double total = 0.0;
    std::int64_t steps = 0;
    for (bool done = false; !done; ++steps) {
      for (std::size_t i = 0; i < kAgents; ++i) {
        const std::span<const float> observation = sim->observation(agent_at(i));
        observations[i].assign(observation.begin(), observation.end());
      }
      auto report = decide(observations, service_context(*sim), /*explore=*/false);
      if (!report.ok()) return report.status();
      auto stepped = sim->step(report->coordination.action);
      if (!stepped.ok()) return stepped.status();
      const Coordination& c = report->coordination;
      total += global.add(stepped->rewards, c.confidence, c.executed.count);
      recorder.add_step(stepped->rewards, c.executed.count > 0);
      done = stepped->truncated || stepped->terminated;
    }
    recorder.end_episode();
    global_rewards.push_back(total / static_cast<double>(steps));
  }
  TeamRun& run = recorder.finish();
  run.episode_global_rewards = std::move(global_rewards);
  return run;
}

void Orchestrator::freeze_global_reward(const RewardStatistics& statistics) {
  std::lock_guard lock(mutex_);
  global_reward_.freeze(statistics);
}

void Orchestrator::on_episode(std::function<void(const EpisodeSummary&)> callback) {
  std::lock_guard lock(mutex_);
  on_episode_ = std::move(callback);
}

}  // namespace tars::marl
