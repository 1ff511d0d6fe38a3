// Runs N seeded episodes of a frozen policy and measures them. Episode i is reset with seed
// `seed + i` (as Gymnasium's vector reset seeds copy i), whichever environment copy runs it, so
// the results do not depend on the number of copies.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"
#include "tars/eval/metrics.h"
#include "tars/eval/policy.h"
#include "tars/store/records.h"

namespace tars::eval {

// Gymnasium registers Pendulum-v1 without a reward threshold; episodes at or above this succeed.
inline constexpr double kPendulumSuccessThreshold = -200.0;
// Environment copies when EvaluatorOptions::num_envs is 0 (fewer for fewer episodes).
inline constexpr int kDefaultEvalEnvs = 8;

// Called after each finished episode, in the order they finish, with the count finished so far.
using EpisodeCallback = std::function<void(const store::EpisodeRecord& episode, int finished)>;

struct EvaluatorOptions {
  int episodes = 10;                                           // N, at least 1
  std::uint64_t seed = 0;                                      // episode i is reset with seed + i
  store::PolicyMode mode = store::PolicyMode::kDeterministic;  // passed to Policy::act
  int num_envs = 0;                         // copies stepped together; 0: min(episodes, 8)
  std::chrono::duration<double> budget{0};  // wall-clock limit for the whole run; 0: none
  std::optional<double> success_threshold = std::nullopt;  // overrides the environment's threshold
  const std::atomic<bool>* cancel = nullptr;  // when it becomes true the run stops with an error
  EpisodeCallback on_episode = {};            // optional progress report
};

struct EvaluationOutcome {
  std::vector<store::EpisodeRecord> episodes;  // ordered by episode_num
  ActionHistogram actions;                     // every action taken, over all episodes
  store::EvaluationMetrics metrics;            // compute_metrics of the above and the losses
  double success_threshold = 0.0;              // the return an episode needed to succeed
  double duration_seconds = 0.0;               // wall-clock time of the run
};

// The return at or above which an episode of `spec` succeeds: `override` when given, else the
// environment's reward threshold, else kPendulumSuccessThreshold for Pendulum-v1; not_found for
// an environment with none.
core::Expected<double> success_threshold(const env::EnvSpec& spec,
                                         std::optional<double> override_threshold);

// Evaluates `policy` on `env_id` made with `kwargs`. Errors: invalid options, an environment the
// policy was not built for (other observation or action shape), a failing environment step, an
// exceeded budget (out_of_range) or a cancellation (failed_precondition), the last two naming how
// many episodes had finished.
core::Expected<EvaluationOutcome> evaluate(Policy& policy, std::string_view env_id,
                                           const env::Kwargs& kwargs,
                                           const EvaluatorOptions& options);

}  // namespace tars::eval
