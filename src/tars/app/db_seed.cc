#include "tars/app/db_seed.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cmath>

#include "tars/core/rng.h"

namespace tars::app {
namespace {

constexpr std::array<const char*, 4> kAgentTypes{"dqn", "a2c", "ppo", "ddpg"};
constexpr std::array<const char*, 3> kEnvironments{"CartPole-v1", "Acrobot-v1", "LunarLander-v3"};
constexpr std::int64_t kSpanMicros = std::int64_t{30} * 24 * 3600 * 1000000;

// One plausible completed (or, 1 in 20, failed) evaluation, created at `created_at`.
store::EvaluationRecord synthetic_row(core::Generator& rng, const SeedRequest& request,
                                      core::Timestamp created_at) {
  store::EvaluationRecord record;
  const auto agent = rng.integers(0, request.agents);
  record.agent_id = fmt::format("synthetic-{}", agent);
  record.agent_type = kAgentTypes[agent % kAgentTypes.size()];
  record.environment = kEnvironments[agent % kEnvironments.size()];
  record.num_episodes = 10;
  record.seed = static_cast<std::uint64_t>(rng.integers(0, 1000000));
  record.created_at = created_at;
  record.started_at = record.created_at + std::chrono::milliseconds(5);
  const double duration = rng.uniform(0.5, 5.0);
  record.duration_seconds = duration;
  record.completed_at =
      *record.started_at + std::chrono::microseconds(std::llround(duration * 1e6));
  if (rng.integers(0, 20) == 0) {
    record.status = store::EvaluationStatus::kFailed;
    record.error = "synthetic failure";
    return record;
  }
  record.status = store::EvaluationStatus::kCompleted;
  const double mean = rng.uniform(0.0, 500.0);
  const double std = rng.uniform(0.0, 50.0);
  record.metrics = store::EvaluationMetrics{.mean_reward = mean,
                                            .std_reward = std,
                                            .min_reward = mean - 2 * std,
                                            .max_reward = mean + 2 * std,
                                            .success_rate = rng.random(),
                                            .mean_steps = rng.uniform(10.0, 500.0),
                                            .action_entropy = rng.uniform(0.0, 0.7),
                                            .reward_variance = std * std};
  record.regression = store::RegressionVerdict{};
  return record;
}

}  // namespace

core::Expected<SeedResult> seed_evaluations(store::Database& database, const SeedRequest& request) {
  if (request.evaluations < 0) {
    return core::invalid_argument(
        fmt::format("evaluations: must be >= 0, got {}", request.evaluations));
  }
  if (request.agents < 1) {
    return core::invalid_argument(fmt::format("agents: must be >= 1, got {}", request.agents));
  }
  if (request.batch < 1) {
    return core::invalid_argument(fmt::format("batch: must be >= 1, got {}", request.batch));
  }
  const auto start = std::chrono::steady_clock::now();
  core::Generator rng(request.seed);
  SeedResult result;
  std::vector<store::EvaluationRecord> batch;
  while (result.inserted < request.evaluations) {
    batch.clear();
    while (static_cast<int>(batch.size()) < request.batch &&
           result.inserted + static_cast<std::int64_t>(batch.size()) < request.evaluations) {
      // Oldest first, evenly spread, as real evaluations arrive (and indexes grow at their end).
      const std::int64_t row = result.inserted + static_cast<std::int64_t>(batch.size());
      const auto age = std::chrono::microseconds(kSpanMicros / request.evaluations *
                                                 (request.evaluations - row));
      batch.push_back(synthetic_row(rng, request, request.end - age));
    }
    auto written = database.evaluations().create_many(batch);
    if (!written.ok()) {
      return core::Status(written.status().code(), fmt::format("after {} rows: {}", result.inserted,
                                                               written.status().message()));
    }
    result.inserted += *written;
  }
  if (auto status = database.analyze(); !status.ok()) return status;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace tars::app
