#include "tars/app/marl_train.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <numeric>
#include <ostream>

#include "tars/core/memory.h"
#include "tars/marl/heuristic_team.h"

namespace tars::app {

namespace {

constexpr std::size_t kAgents = env::kOpsNumAgents;

nlohmann::json per_agent(const marl::AgentValues& values) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < kAgents; ++i) out[std::string(env::kOpsAgents[i].name)] = values[i];
  return out;
}

double mean(const std::vector<double>& values, std::size_t from, std::size_t to) {
  if (to <= from) return 0.0;
  return std::accumulate(values.begin() + static_cast<std::ptrdiff_t>(from),
                         values.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}

marl::AgentValues mean(const std::vector<marl::AgentValues>& values, std::size_t from,
                       std::size_t to) {
  marl::AgentValues out = {};
  for (std::size_t e = from; e < to; ++e) {
    for (std::size_t i = 0; i < kAgents; ++i)
      out[i] += values[e][i] / static_cast<double>(to - from);
  }
  return out;
}

nlohmann::json validation_json(const Validation& validation) {
  return {{"episode", validation.episode},
          {"global_reward", validation.global_reward},
          {"returns", per_agent(validation.returns)}};
}

}  // namespace

std::string MarlTrainSummary::to_json() const {
  nlohmann::json validation = nlohmann::json::array();
  for (const Validation& v : validations) validation.push_back(validation_json(v));
  nlohmann::json best_team = nullptr;
  if (best) {
    best_team = {{"episode", best->episode},
                 {"validation_global_reward", best->global_reward},
                 {"evaluation_global_reward", best_evaluation_global_reward},
                 {"evaluation_returns", per_agent(best_evaluation_returns)},
                 {"evaluation_conflict_rate", best_evaluation_conflict_rate}};
  }
  return nlohmann::json{{"episodes", episodes},
                        {"start_episode", start_episode},
                        {"seed", seed},
                        {"mode", mode},
                        {"steps", steps},
                        {"wall_seconds", wall_seconds},
                        {"validation_seconds", validation_seconds},
                        {"steps_per_second", steps_per_second},
                        {"initial_global_reward", initial_global_reward},
                        {"final_global_reward", final_global_reward},
                        {"heuristic_global_reward", heuristic_global_reward},
                        {"evaluation_global_reward", evaluation_global_reward},
                        {"initial_returns", per_agent(initial_returns)},
                        {"final_returns", per_agent(final_returns)},
                        {"heuristic_returns", per_agent(heuristic_returns)},
                        {"evaluation_returns", per_agent(evaluation_returns)},
                        {"final_conflict_rate", final_conflict_rate},
                        {"heuristic_conflict_rate", heuristic_conflict_rate},
                        {"evaluation_conflict_rate", evaluation_conflict_rate},
                        {"peak_rss_bytes", peak_rss_bytes},
                        {"validation", validation},
                        {"best", best_team}}
      .dump();
}

core::Expected<MarlTrainSummary> run_marl_training(const MarlTrainRequest& request,
                                                   std::ostream& progress) {
  if (request.episodes < 10) {
    return core::invalid_argument(
        "--episodes must be at least 10 (the summary compares the first and last 10%)");
  }
  if (request.validation_every < 0) {
    return core::invalid_argument(fmt::format(
        "--validation-every must be 0 (no validation) or more, got {}", request.validation_every));
  }
  std::optional<BestTeamKeeper> keeper;
  if (request.validation_every > 0) {
    auto made = BestTeamKeeper::create(request.validation_episodes);
    if (!made.ok()) {
      return core::invalid_argument("--validation-episodes: " + made.status().message());
    }
    keeper.emplace(std::move(*made));
  }
  marl::OrchestratorOptions options = request.orchestrator;
  if (!request.resume_dir.empty()) {
    auto saved = marl::saved_team_options(request.resume_dir, options);
    if (!saved.ok()) return core::invalid_argument("--resume: " + saved.status().message());
    options = std::move(*saved);
  }
  auto orchestrator = marl::Orchestrator::create(options);
  if (!orchestrator.ok()) return orchestrator.status();
  if (!request.resume_dir.empty()) {
    if (core::Status status = (*orchestrator)->load(request.resume_dir); !status.ok()) {
      return core::invalid_argument("--resume: " + status.message());
    }
  }
  const std::int64_t start_episode = (*orchestrator)->metrics().episodes;
  const auto episodes = static_cast<std::size_t>(request.episodes);
  const std::size_t tenth = episodes / 10;

  // The heuristic team on the seeds of this run's last tenth (episode e runs ops_sim seed + e);
  // its statistics normalise every G below.
  std::vector<std::uint64_t> final_seeds;
  for (std::size_t e = episodes - tenth; e < episodes; ++e) {
    final_seeds.push_back(options.seed + static_cast<std::uint64_t>(start_episode) + e);
  }
  auto heuristic = marl::run_heuristic_team(options.sim, final_seeds, options.global_reward);
  if (!heuristic.ok()) return heuristic.status();
  (*orchestrator)->freeze_global_reward(heuristic->statistics);
  std::vector<double> global_rewards;
  std::vector<marl::AgentValues> returns;
  std::vector<double> conflict_rates;
  (*orchestrator)->on_episode([&](const marl::EpisodeSummary& episode) {
    global_rewards.push_back(episode.global_reward_mean);
    marl::AgentValues episode_returns = {};
    for (std::size_t i = 0; i < kAgents; ++i) {
      episode_returns[i] = episode.agents[i].last_episode_reward;
    }
    returns.push_back(episode_returns);
    conflict_rates.push_back(episode.conflict_rate);
  });

  const auto started = std::chrono::steady_clock::now();
  const auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  std::int64_t steps = 0;
  double validation_seconds = 0.0;
  while (global_rewards.size() < episodes) {
    auto report = (*orchestrator)->step();
    if (!report.ok()) return report.status();
    ++steps;
    const std::size_t done = global_rewards.size();
    if (keeper && report->episode_ended && 2 * done >= episodes &&
        (done % static_cast<std::size_t>(request.validation_every) == 0 || done == episodes)) {
      const double validation_started = seconds();
      if (core::Status status = keeper->validate(**orchestrator, static_cast<std::int64_t>(done));
          !status.ok()) {
        return status;
      }
      validation_seconds += seconds() - validation_started;
      if (request.progress_every > 0) {
        progress << nlohmann::json{{"validation", validation_json(keeper->history().back())}}.dump()
                 << '\n';
      }
    }
    if (!report->episode_ended || request.progress_every <= 0 ||
        global_rewards.size() % static_cast<std::size_t>(request.progress_every) != 0) {
      continue;
    }
    auto rss = core::current_rss_bytes();
    progress << nlohmann::json{{"episode", global_rewards.size()},
                               {"steps", steps},
                               {"steps_per_second", static_cast<double>(steps) / seconds()},
                               {"global_reward", global_rewards.back()},
                               {"returns", per_agent(returns.back())},
                               {"rss_bytes", rss.ok() ? *rss : 0}}
                    .dump()
             << '\n';
  }

  const double training_seconds = seconds() - validation_seconds;
  if (!request.out_dir.empty()) {
    if (core::Status status = (*orchestrator)->save(request.out_dir, request.save_replay_buffers);
        !status.ok()) {
      return status;
    }
    if (keeper && keeper->best()) {
      if (core::Status status = keeper->copy_best(std::filesystem::path(request.out_dir) / "best");
          !status.ok()) {
        return status;
      }
    }
  }
  auto evaluation = (*orchestrator)->evaluate(final_seeds);
  if (!evaluation.ok()) return evaluation.status();

  MarlTrainSummary summary;
  summary.episodes = request.episodes;
  summary.start_episode = start_episode;
  summary.seed = options.seed;
  summary.mode = marl::coordination_mode_name(options.coordination.mode);
  summary.steps = steps;
  summary.wall_seconds = seconds();
  summary.validation_seconds = validation_seconds;
  summary.steps_per_second = static_cast<double>(steps) / training_seconds;
  summary.initial_global_reward = mean(global_rewards, 0, tenth);
  summary.final_global_reward = mean(global_rewards, episodes - tenth, episodes);
  summary.heuristic_global_reward =
      mean(heuristic->episode_global_rewards, 0, heuristic->episode_global_rewards.size());
  summary.initial_returns = mean(returns, 0, tenth);
  summary.final_returns = mean(returns, episodes - tenth, episodes);
  summary.heuristic_returns =
      mean(heuristic->episode_returns, 0, heuristic->episode_returns.size());
  summary.evaluation_global_reward =
      mean(evaluation->episode_global_rewards, 0, evaluation->episode_global_rewards.size());
  summary.evaluation_returns =
      mean(evaluation->episode_returns, 0, evaluation->episode_returns.size());
  summary.evaluation_conflict_rate = evaluation->conflict_rate;
  summary.final_conflict_rate = mean(conflict_rates, episodes - tenth, episodes);
  summary.heuristic_conflict_rate = heuristic->conflict_rate;
  if (keeper && keeper->best()) {
    if (core::Status status = keeper->restore_best(**orchestrator); !status.ok()) return status;
    auto best = (*orchestrator)->evaluate(final_seeds);
    if (!best.ok()) return best.status();
    summary.validations = keeper->history();
    summary.best = keeper->best();
    summary.best_evaluation_global_reward =
        mean(best->episode_global_rewards, 0, best->episode_global_rewards.size());
    summary.best_evaluation_returns = mean(best->episode_returns, 0, best->episode_returns.size());
    summary.best_evaluation_conflict_rate = best->conflict_rate;
  }
  auto peak = core::peak_rss_bytes();
  if (peak.ok()) summary.peak_rss_bytes = *peak;
  return summary;
}

}  // namespace tars::app
