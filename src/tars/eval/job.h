// An evaluation job: what to evaluate, where, and how. Jobs travel through a JobQueue as JSON
// (the in-process queue now, Redis Streams later), so a policy is named by its source, never
// passed as an object: any worker process can rebuild it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "tars/core/status.h"
#include "tars/env/kwargs.h"
#include "tars/eval/policy.h"
#include "tars/store/records.h"

namespace tars::eval {

struct PolicySource {
  std::string builtin = {};                   // "random" or "heuristic"; empty for a checkpoint
  std::filesystem::path checkpoint_dir = {};  // a `tars train --out` directory
};

struct EvaluationJob {
  std::int64_t evaluation_id = 0;  // set by EvaluationRunner::submit
  std::string agent_id = {};       // empty: "<agent_type>/<environment>"
  PolicySource policy;
  std::string environment = {};  // empty for a checkpoint: the one it was trained on
  env::Kwargs kwargs = {};       // environment kwargs (a checkpoint's own when empty)
  int episodes = 10;
  std::uint64_t seed = 0;
  store::PolicyMode mode = store::PolicyMode::kDeterministic;
  double budget_seconds = 0.0;                   // wall-clock limit of the run; 0: none
  std::optional<double> success_threshold = {};  // overrides the environment's reward threshold
  bool promote = true;  // a better, regression-free result becomes the new baseline
};

// A built policy and the environment it is evaluated on.
struct ResolvedPolicy {
  std::unique_ptr<Policy> policy = {};
  std::string environment = {};
  env::Kwargs kwargs = {};
};

// Checks the job's fields (episodes 1..100000, seed below 2^63, a source given, budget >= 0) and
// builds its policy; errors name the field.
core::Expected<ResolvedPolicy> resolve_policy(const EvaluationJob& job);

std::string to_json(const EvaluationJob& job);
core::Expected<EvaluationJob> job_from_json(const std::string& text);

}  // namespace tars::eval
