// The documented fixed heuristic team (env/ops_sim/ops_sim_heuristic.h) run on given episode
// seeds: the baseline the learning team is measured against, and the reference statistics that
// make global rewards of different teams comparable.
#pragma once

#include <cstdint>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/ops_sim/ops_sim.h"
#include "tars/marl/global_reward.h"

namespace tars::marl {

// Runs one episode per seed. G uses `statistics` when given, else the run's own statistics
// (computed first from the same steps); the heuristic is certain of its actions (confidence 1).
core::Expected<TeamRun> run_heuristic_team(const env::OpsSimConfig& config,
                                           const std::vector<std::uint64_t>& seeds,
                                           const GlobalRewardOptions& options,
                                           const RewardStatistics* statistics = nullptr);

}  // namespace tars::marl
