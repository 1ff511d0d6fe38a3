// The orchestrator's periodic team evaluation (DESIGN.md §3, step 2): the team as it is, acting
// deterministically and not learning, plays seeded ops_sim episodes; the result is stored as an
// evaluation of agent "team" (agent_type "marl-team", environment "ops_sim"), judged against the
// team's baseline by the regression detector, promoted when better, and announced to the
// evaluation listener like any other evaluation.
#pragma once

#include <cstdint>

#include "tars/app/marl_validation.h"
#include "tars/core/status.h"
#include "tars/eval/regression.h"
#include "tars/eval/runner.h"
#include "tars/marl/orchestrator.h"
#include "tars/store/repository.h"

namespace tars::app {

inline constexpr char kTeamAgentId[] = "team";
inline constexpr char kTeamAgentType[] = "marl-team";
inline constexpr char kTeamEnvironment[] = "ops_sim";

struct TeamEvaluationOptions {
  int every_episodes = 100;  // 0: never; otherwise after every this many training episodes
  int episodes = 5;          // evaluation episodes, seeds seed, seed + 1, ...
  std::uint64_t seed = kValidationSeed;  // the same seeds every time, so evaluations compare
  eval::RegressionThresholds thresholds = {};
};

// Evaluates, stores, judges and (when better and regression-free) promotes the team. Each
// episode's return is its mean global reward per step (against the reward statistics as they
// stand); an episode that runs to its end counts as a success, so the team is judged by the level
// and the spread of its global reward.
core::Expected<store::EvaluationRecord> evaluate_team(marl::Orchestrator& orchestrator,
                                                      store::Database& database,
                                                      const TeamEvaluationOptions& options,
                                                      const eval::EvaluationListener& listener);

}  // namespace tars::app
