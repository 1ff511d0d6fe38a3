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
  TeamRunRecorder recorder;
  std::vector<std::vector<StepRecord>> episodes;
  for (std::uint64_t seed : seeds) {
    sim->reset(seed);
    std::vector<StepRecord>& episode = episodes.emplace_back();
    for (bool done = false; !done;) {
      const env::OpsSimAction action = env::ops_sim_heuristic(sim->metrics(), sim->config());
      const int conflicts = detect_conflicts(action, service_context(*sim)).count;
      auto step = sim->step(action);
      if (!step.ok()) return step.status();
      episode.push_back({step->rewards, conflicts});
      recorder.add_step(step->rewards, conflicts > 0);
      done = step->truncated || step->terminated;
    }
    recorder.end_episode();
  }
  TeamRun& run = recorder.finish();
  if (run.steps == 0) return run;
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
