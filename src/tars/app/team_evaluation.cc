#include "tars/app/team_evaluation.h"

#include <chrono>
#include <vector>

#include "tars/eval/metrics.h"

namespace tars::app {

core::Expected<store::EvaluationRecord> evaluate_team(marl::Orchestrator& orchestrator,
                                                      store::Database& database,
                                                      const TeamEvaluationOptions& options,
                                                      const eval::EvaluationListener& listener) {
  std::vector<std::uint64_t> seeds;
  for (int i = 0; i < options.episodes; ++i) seeds.push_back(options.seed + i);
  store::EvaluationRecord record{.agent_id = kTeamAgentId,
                                 .agent_type = kTeamAgentType,
                                 .environment = kTeamEnvironment,
                                 .status = store::EvaluationStatus::kRunning,
                                 .num_episodes = options.episodes,
                                 .seed = options.seed,
                                 .created_at = core::now()};
  record.started_at = record.created_at;
  auto run = orchestrator.evaluate(seeds);
  if (!run.ok()) return run.status();
  const std::int64_t steps_per_episode = run->steps / std::max(options.episodes, 1);
  for (int i = 0; i < options.episodes; ++i) {
    record.episodes.push_back(
        {.episode_num = i,
         .seed = seeds[static_cast<std::size_t>(i)],
         .total_reward = run->episode_global_rewards[static_cast<std::size_t>(i)],
         .steps = steps_per_episode,
         .success = true});
  }
  auto no_actions = eval::ActionHistogram::for_space(env::Space::discrete(1));
  if (!no_actions.ok()) return no_actions.status();
  const store::EvaluationMetrics metrics = eval::compute_metrics(record.episodes, *no_actions, {});
  auto baseline = database.baselines().current(kTeamAgentType, kTeamEnvironment);
  if (!baseline.ok()) return baseline.status();
  const auto baseline_metrics =
      baseline->has_value() ? std::optional((*baseline)->metrics) : std::nullopt;
  record.metrics = metrics;
  record.regression = eval::detect_regression(metrics, baseline_metrics, options.thresholds);
  record.baseline_comparison = eval::baseline_comparison_json(metrics, baseline_metrics);
  record.status = store::EvaluationStatus::kCompleted;
  record.completed_at = core::now();
  record.duration_seconds =
      std::chrono::duration<double>(*record.completed_at - *record.started_at).count();
  auto id = database.evaluations().create(record);
  if (!id.ok()) return id.status();
  record.id = *id;
  std::optional<store::BaselineRecord> promoted;
  if (!record.regression->detected) {
    auto better = database.baselines().update_if_better({.agent_type = kTeamAgentType,
                                                         .environment = kTeamEnvironment,
                                                         .metrics = metrics,
                                                         .evaluation_id = record.id});
    if (!better.ok()) return better.status();
    promoted = std::move(*better);
  }
  if (listener) {
    listener({"completed", record, options.episodes, promoted ? &*promoted : nullptr});
  }
  return record;
}

}  // namespace tars::app
