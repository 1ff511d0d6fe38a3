// Checkpoints: a directory holding `model.safetensors` (the tensors) and `checkpoint.json` (what
// produced them: algorithm, environment, hyperparameters, seed, steps, versions and the SHA-256
// of the model file). Loading checks the format version and the hash before trusting anything.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/kwargs.h"
#include "tars/nn/safetensors.h"
#include "tars/rl/hyperparameters.h"

namespace tars::rl {

// Bumped whenever checkpoint.json or the tensor naming changes incompatibly.
inline constexpr int kCheckpointFormatVersion = 1;
inline constexpr char kCheckpointModelFile[] = "model.safetensors";
inline constexpr char kCheckpointMetadataFile[] = "checkpoint.json";

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
};

struct Checkpoint {
  CheckpointMetadata metadata;
  std::vector<nn::StoredTensor> tensors;

  // The tensor called `name`, or nullptr.
  const nn::StoredTensor* find(std::string_view name) const;
  // rl::check_shapes on this checkpoint's tensors.
  core::Status check_shapes(const ShapeMap& expected) const;
};

// Writes `dir`/model.safetensors, then `dir`/checkpoint.json (each atomically; the directory is
// created if needed). Returns the metadata as written: format version, tars version, content hash
// and (when empty) created_at filled in. Fails on an empty algorithm or environment id, or
// hyperparameters that are not a JSON object.
core::Expected<CheckpointMetadata> save_checkpoint(const std::filesystem::path& dir,
                                                   const CheckpointMetadata& metadata,
                                                   const std::vector<nn::StoredTensor>& tensors);

// Reads a checkpoint directory. Errors: missing directory or files, malformed checkpoint.json, a
// format version newer than kCheckpointFormatVersion (naming both), a content hash mismatch
// ("checkpoint corrupted: content hash mismatch ..."), a malformed model file.
core::Expected<Checkpoint> load_checkpoint(const std::filesystem::path& dir);

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
