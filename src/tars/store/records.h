// What the database keeps about evaluations and baselines. Field names follow T.A.R.S. 1.0's JSON
// and columns, so its clients keep working.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/core/time.h"

namespace tars::store {

enum class EvaluationStatus { kPending, kRunning, kCompleted, kFailed, kCancelled };
enum class PolicyMode { kDeterministic, kStochastic };
// Least-squares slope of the last 10 losses: > 0.05 increasing, < -0.05 decreasing, else stable;
// kNone when the policy reported no losses.
enum class LossTrend { kNone, kDecreasing, kStable, kIncreasing };

// "pending", "running", "completed", "failed", "cancelled".
const char* status_name(EvaluationStatus status);
core::Expected<EvaluationStatus> parse_status(std::string_view text);
bool is_terminal(EvaluationStatus status);
// "deterministic", "stochastic".
const char* policy_mode_name(PolicyMode mode);
core::Expected<PolicyMode> parse_policy_mode(std::string_view text);
// "none", "decreasing", "stable", "increasing".
const char* loss_trend_name(LossTrend trend);
core::Expected<LossTrend> parse_loss_trend(std::string_view text);

struct EvaluationMetrics {
  double mean_reward = 0.0;
  double std_reward = 0.0;  // population standard deviation
  double min_reward = 0.0;
  double max_reward = 0.0;
  double success_rate = 0.0;  // fraction of episodes with return >= the reward threshold
  double mean_steps = 0.0;
  std::optional<double> mean_loss = {};  // when the policy reports losses
  LossTrend loss_trend = LossTrend::kNone;
  double action_entropy = 0.0;   // Shannon entropy (nats) of the action distribution
  double reward_variance = 0.0;  // population variance of the returns

  bool operator==(const EvaluationMetrics&) const = default;
};

// One regression rule that fired, with its numbers.
struct FailedCheck {
  std::string name = {};  // "failure_rate", "reward_drop", "variance_ratio", "loss_trend"
  double value = 0.0;
  double threshold = 0.0;
  std::string message = {};  // e.g. "mean reward dropped 23.0% below the baseline (limit 10.0%)"

  bool operator==(const FailedCheck&) const = default;
};

struct RegressionVerdict {
  bool detected = false;
  double regression_score = 0.0;  // [0, 1]
  std::string reason = {};        // the failed checks' messages joined, empty when none
  bool should_rollback = false;
  std::vector<FailedCheck> failed_checks = {};

  bool operator==(const RegressionVerdict&) const = default;
};

struct EpisodeRecord {
  int episode_num = 0;  // 0-based
  std::uint64_t seed = 0;
  double total_reward = 0.0;
  std::int64_t steps = 0;
  bool success = false;

  bool operator==(const EpisodeRecord&) const = default;
};

struct EvaluationRecord {
  std::int64_t id = 0;  // assigned by the database
  std::string agent_id = {};
  std::string agent_type = {};  // "dqn", "ppo", "heuristic", "random", ...
  std::string environment = {};
  EvaluationStatus status = EvaluationStatus::kPending;
  int num_episodes = 0;
  std::uint64_t seed = 0;
  PolicyMode policy_mode = PolicyMode::kDeterministic;
  std::string checkpoint_hash = {};    // SHA-256 of the evaluated model, empty for built-ins
  std::string hyperparameters = "{}";  // JSON object, stored compact with sorted keys
  std::optional<EvaluationMetrics> metrics = {};
  std::optional<RegressionVerdict> regression = {};
  std::string baseline_comparison = "null";  // JSON: the baseline compared against and deltas
  std::optional<double> duration_seconds = {};
  std::string error = {};  // why it failed, empty otherwise
  core::Timestamp created_at{};
  std::optional<core::Timestamp> started_at = {};
  std::optional<core::Timestamp> completed_at = {};
  // How often each action was taken: one row of counts per Discrete space, or per Box dimension
  // (its bins); empty until completed.
  std::vector<std::vector<std::int64_t>> action_counts = {};
  std::vector<EpisodeRecord> episodes = {};  // only when asked for

  bool operator==(const EvaluationRecord&) const = default;
};

struct BaselineRecord {
  std::int64_t id = 0;  // assigned by the database
  std::string agent_type = {};
  std::string environment = {};
  EvaluationMetrics metrics;
  std::string hyperparameters = "{}";  // JSON object
  int version = 0;                     // 1 for the first baseline of (agent_type, environment)
  int rank = 1;                        // 1 = best (current); older baselines move down
  std::optional<std::int64_t> evaluation_id = {};  // the evaluation whose promotion created it
  core::Timestamp created_at{};
  core::Timestamp updated_at{};

  bool operator==(const BaselineRecord&) const = default;
};

}  // namespace tars::store
