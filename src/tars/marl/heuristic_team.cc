#include "tars/marl/heuristic_team.h"

#include "tars/env/ops_sim/ops_sim_heuristic.h"
#include "tars/marl/conflicts.h"
#include "tars/marl/orchestrator.h"

namespace tars::marl {

namespace {
struct StepRecord {
  AgentValues rewards;
  int conflicts = 0;
};
}  // namespace

core::Expected<TeamRun> run_heuristic_team(const env::OpsSimConfig& config,
                                           const std::vector<std::uint64_t>& seeds,
                                           const GlobalRewardOptions& options,
                                           const RewardStatistics* statistics) {
  auto sim = env::OpsSim::create(config);
  if (!sim.ok()) return sim.status();
  TeamRun run;
  std::vector<std::vector<StepRecord>> episodes;
  AgentValues sum = {}, sum_squares = {};
  int conflict_steps = 0;
  for (std::uint64_t seed : seeds) {
    sim->reset(seed);
    std::vector<StepRecord>& episode = episodes.emplace_back();
    AgentValues returns = {};
    for (bool done = false; !done;) {
      const env::OpsSimAction action = env::ops_sim_heuristic(sim->metrics(), sim->config());
      const int conflicts = detect_conflicts(action, service_context(*sim)).count;
      auto step = sim->step(action);
      if (!step.ok()) return step.status();
      episode.push_back({step->rewards, conflicts});
      for (std::size_t i = 0; i < env::kOpsNumAgents; ++i) {
        returns[i] += step->rewards[i];
        sum[i] += step->rewards[i];
        sum_squares[i] += step->rewards[i] * step->rewards[i];
      }
      conflict_steps += conflicts > 0;
      ++run.steps;
      done = step->truncated || step->terminated;
    }
    run.episode_returns.push_back(returns);
  }
  if (run.steps == 0) return run;
  run.statistics = reward_statistics(sum, sum_squares, static_cast<std::size_t>(run.steps));
  run.conflict_rate = conflict_steps / static_cast<double>(run.steps);
  GlobalReward global(options);
  global.freeze(statistics ? *statistics : run.statistics);
  const AgentValues certain = {1.0, 1.0, 1.0, 1.0};
  for (const std::vector<StepRecord>& episode : episodes) {
    double total = 0.0;
    for (const StepRecord& step : episode)
      total += global.add(step.rewards, certain, step.conflicts);
    run.episode_global_rewards.push_back(total / static_cast<double>(episode.size()));
  }
  return run;
}

}  // namespace tars::marl
