// Reads the Gymnasium reference trajectories in shared/reference/gymnasium (README.md there):
// one JSONL file per episode with a header, the reset observation and one line per step.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"

namespace tars::env::test {

// A Discrete action (int) or a Box action (float32 values, as Gymnasium received them).
using ReferenceAction = std::variant<std::int64_t, std::vector<float>>;

struct ReferenceStep {
  ReferenceAction action;
  std::vector<double> obs;  // the float32 observation, exactly
  double reward = 0.0;
  bool terminated = false;
  bool truncated = false;
};

struct ReferenceEpisode {
  std::filesystem::path path;
  std::string env_id;
  Kwargs kwargs;           // the gym.make kwargs
  std::uint64_t seed = 0;  // env.reset(seed=seed)
  std::uint64_t action_seed = 0;
  std::string gymnasium;  // version that recorded the file
  std::string policy;     // "random" or "heuristic"
  std::vector<double> reset_obs;
  std::vector<ReferenceStep> steps;
};

// TARS_SHARED_DIR/reference/gymnasium.
std::filesystem::path reference_dir();

// The .jsonl files whose name starts with `prefix` (e.g. "CartPole-v1" also matches
// "CartPole-v1-heuristic_seed0.jsonl"), sorted by name.
std::vector<std::filesystem::path> reference_files(std::string_view prefix);

// Parses one file; a malformed line is an error naming the file and the line.
core::Expected<ReferenceEpisode> load_reference(const std::filesystem::path& path);

// Steps `env` with the action, as Discrete or Box according to its kind.
core::Expected<StepResult> step_with(Env& env, const ReferenceAction& action);

// The file name without extension, with characters GoogleTest rejects in parameter names
// replaced by '_' ("CartPole-v1_seed0.jsonl" -> "CartPole_v1_seed0").
std::string test_name(const std::filesystem::path& path);

}  // namespace tars::env::test
