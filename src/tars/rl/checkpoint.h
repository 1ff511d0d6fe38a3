// Checkpoints: a directory holding `model.safetensors` (the tensors), `checkpoint.json` (what
// produced them: algorithm, environment, hyperparameters, seed, steps, versions, the training
// state's scalars and the SHA-256 of the other files) and optionally `replay_buffer.safetensors`.
// Loading checks the format version and the hashes before trusting anything.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/kwargs.h"
#include "tars/nn/safetensors.h"
#include "tars/rl/agent.h"
#include "tars/rl/hyperparameters.h"

namespace tars::rl {

// Bumped whenever checkpoint.json or the tensor naming changes incompatibly. Version 1 held the
// weights only; version 2 adds the training state and the optional replay buffer.
inline constexpr int kCheckpointFormatVersion = 2;
inline constexpr char kCheckpointModelFile[] = "model.safetensors";
inline constexpr char kCheckpointMetadataFile[] = "checkpoint.json";
inline constexpr char kCheckpointReplayBufferFile[] = "replay_buffer.safetensors";

// The tensors of model.safetensors that belong to the training state: optimizer moments and an
// online rollout in progress, named by these prefixes.
inline constexpr char kOptimizerTensorPrefix[] = "optimizer.";
inline constexpr char kRolloutTensorPrefix[] = "rollout.";
bool is_training_state_tensor(std::string_view name);

// Expected tensor shapes by name, as the model about to receive the checkpoint declares them.
using ShapeMap = std::map<std::string, std::vector<std::int64_t>, std::less<>>;

struct CheckpointMetadata {
  int format_version = kCheckpointFormatVersion;  // save writes kCheckpointFormatVersion
  std::string algorithm;                          // "ppo", "dqn", ...
  std::string env_id;                             // "CartPole-v1"
  env::Kwargs env_kwargs;
  // A JSON object, stored as an object in checkpoint.json; load returns it as compact JSON text.
  std::string hyperparameters_json = "{}";
  std::uint64_t seed = 0;
  std::int64_t steps = 0;    // environment steps trained
  std::string created_at;    // ISO-8601 UTC, "2025-01-31T12:00:00Z"; save fills it when empty
  std::string tars_version;  // save writes the running version
  std::string content_hash;  // SHA-256 (lowercase hex) of model.safetensors; save computes it
  // SHA-256 of replay_buffer.safetensors; empty when the checkpoint has none. Save computes it.
  std::string replay_buffer_hash;
};

struct Checkpoint {
  CheckpointMetadata metadata;
  std::vector<nn::StoredTensor> tensors;  // the model: weights (target networks included)
  // Absent in version-1 checkpoints and in checkpoints saved without one (weights only).
  std::optional<TrainingState> training_state = {};

  // The tensor called `name`, or nullptr.
  const nn::StoredTensor* find(std::string_view name) const;
  // rl::check_shapes on this checkpoint's tensors.
  core::Status check_shapes(const ShapeMap& expected) const;
};

// Writes `dir`/model.safetensors (the weights, and the training state's tensors when given), then
// `dir`/replay_buffer.safetensors when given (else removes a stale one), then
// `dir`/checkpoint.json (each atomically; the directory is created if needed). Returns the
// metadata as written: format version, tars version, hashes and (when empty) created_at filled
// in. Fails on an empty algorithm or environment id, hyperparameters or a training state that
// are not a JSON object, or a tensor name that does not match its part (model or state).
core::Expected<CheckpointMetadata> save_checkpoint(
    const std::filesystem::path& dir, const CheckpointMetadata& metadata,
    const std::vector<nn::StoredTensor>& tensors, const TrainingState* training_state = nullptr,
    const nn::SafetensorsFile* replay_buffer = nullptr);

// Reads a checkpoint directory (not its replay buffer: see load_replay_buffer). Errors: missing
// directory or files, malformed checkpoint.json, a format version newer than
// kCheckpointFormatVersion (naming both), a content hash mismatch ("checkpoint corrupted: content
// hash mismatch ..."), a malformed model file.
core::Expected<Checkpoint> load_checkpoint(const std::filesystem::path& dir);

// The replay buffer of the checkpoint in `dir` whose metadata is `metadata`, or nullopt when it
// was saved without one. Errors: the file is missing, its hash differs ("checkpoint corrupted:
// replay buffer hash mismatch ...") or it is malformed.
core::Expected<std::optional<nn::SafetensorsFile>> load_replay_buffer(
    const std::filesystem::path& dir, const CheckpointMetadata& metadata);

// Ok when `tensors` hold exactly the names of `expected` with those shapes; otherwise one error
// listing every problem, e.g. "tensor 'actor.layers.0.weight': expected shape [64, 4], checkpoint
// has [32, 4]; missing tensor 'critic.bias'; unexpected tensor 'extra'".
core::Status check_shapes(const std::vector<nn::StoredTensor>& tensors, const ShapeMap& expected);

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// Now as ISO-8601 UTC with second precision, "2025-01-31T12:00:00Z".
std::string utc_timestamp_now();

// Hyperparameters as checkpoint.json stores them: {"name": "value text", ...}.
std::string hyperparameters_json(const Hyperparameters& hyperparameters);
// Sets `hyperparameters` from a checkpoint's stored values; the error names a bad entry.
core::Status apply_checkpoint_hyperparameters(const CheckpointMetadata& metadata,
                                              Hyperparameters& hyperparameters);

}  // namespace tars::rl
