#include "tars/rl/checkpoint.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>
#include <utility>

#include "tars/core/file_io.h"

#ifndef TARS_VERSION
#error "TARS_VERSION must be defined by the build (see src/tars/rl/CMakeLists.txt)"
#endif

namespace tars::rl {

namespace {

using core::Expected;
using core::Status;
using nlohmann::ordered_json;

constexpr std::size_t kSha256HexDigits = 64;

std::string json_error_text(const ordered_json::exception& error) {
  std::string_view text = error.what();
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find("] ");
    if (close != std::string_view::npos) text.remove_prefix(close + 2);
  }
  return std::string(text);
}

// Parses JSON text; nlohmann alone would stop at a NUL byte and ignore what follows.
Expected<ordered_json> parse_json(std::string_view text) {
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return core::invalid_argument(fmt::format("NUL byte at offset {}", nul));
  }
  try {
    return ordered_json::parse(text);
  } catch (const ordered_json::exception& error) {
    return core::invalid_argument(json_error_text(error));
  }
}

// Keeps the code of `status` and prefixes its message.
Status with_context(const Status& status, std::string_view context) {
  return {status.code(), fmt::format("{}: {}", context, status.message())};
}

bool is_sha256_hex(std::string_view text) {
  if (text.size() != kSha256HexDigits) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Expected<ordered_json> kwargs_to_json(const env::Kwargs& kwargs) {
  ordered_json object = ordered_json::object();
  for (const auto& entry : kwargs) {
    const std::string& key = entry.first;
    if (const auto* number = std::get_if<double>(&entry.second);
        number && !std::isfinite(*number)) {
      return core::invalid_argument(fmt::format("env_kwargs '{}' is not a finite number", key));
    }
    std::visit([&object, &key](const auto& item) { object[key] = item; }, entry.second);
  }
  return object;
}

Expected<env::Kwargs> kwargs_from_json(const ordered_json& object) {
  if (!object.is_object()) return core::invalid_argument("'env_kwargs' must be a JSON object");
  env::Kwargs kwargs;
  for (const auto& [key, value] : object.items()) {
    if (value.is_boolean()) {
      kwargs.emplace(key, value.get<bool>());
    } else if (value.is_number()) {
      kwargs.emplace(key, value.get<double>());
    } else if (value.is_string()) {
      kwargs.emplace(key, value.get<std::string>());
    } else {
      return core::invalid_argument(
          fmt::format("env_kwargs '{}' must be a boolean, a number or a string", key));
    }
  }
  return kwargs;
}

// The fields of checkpoint.json after the format version was accepted.
Expected<CheckpointMetadata> metadata_from_json(const ordered_json& root, int format_version) {
  CheckpointMetadata metadata;
  metadata.format_version = format_version;
  auto missing_or_wrong = [](std::string_view field, std::string_view what) {
    return core::invalid_argument(fmt::format("'{}' must be {}", field, what));
  };
  auto get_string = [&](std::string_view field, std::string& out) -> Status {
    const auto it = root.find(field);
    if (it == root.end() || !it->is_string()) return missing_or_wrong(field, "a string");
    out = it->get<std::string>();
    return {};
  };
  for (const auto& [field, out] :
       {std::pair<std::string_view, std::string*>{"algorithm", &metadata.algorithm},
        {"env_id", &metadata.env_id},
        {"created_at", &metadata.created_at},
        {"tars_version", &metadata.tars_version},
        {"content_hash", &metadata.content_hash}}) {
    if (Status status = get_string(field, *out); !status.ok()) return status;
  }
  if (!is_sha256_hex(metadata.content_hash)) {
    return missing_or_wrong("content_hash", "64 lowercase hex digits (SHA-256)");
  }
  if (const auto replay = root.find("replay_buffer_hash"); replay != root.end()) {
    if (!replay->is_string() || !is_sha256_hex(replay->get<std::string>())) {
      return missing_or_wrong("replay_buffer_hash", "64 lowercase hex digits (SHA-256)");
    }
    metadata.replay_buffer_hash = replay->get<std::string>();
  }

  const auto seed = root.find("seed");
  if (seed == root.end() || !seed->is_number_unsigned()) {
    return missing_or_wrong("seed", "a non-negative integer");
  }
  metadata.seed = seed->get<std::uint64_t>();

  const auto steps = root.find("steps");
  if (steps == root.end() || !steps->is_number_unsigned() ||
      steps->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return missing_or_wrong("steps", "a non-negative integer");
  }
  metadata.steps = static_cast<std::int64_t>(steps->get<std::uint64_t>());

  const auto kwargs = root.find("env_kwargs");
  if (kwargs == root.end()) return missing_or_wrong("env_kwargs", "a JSON object");
  auto parsed_kwargs = kwargs_from_json(*kwargs);
  if (!parsed_kwargs) return parsed_kwargs.status();
  metadata.env_kwargs = std::move(*parsed_kwargs);

  const auto hyperparameters = root.find("hyperparameters");
  if (hyperparameters == root.end() || !hyperparameters->is_object()) {
    return missing_or_wrong("hyperparameters", "a JSON object");
  }
  metadata.hyperparameters_json = hyperparameters->dump();
  return metadata;
}

// Reads format_version first: a newer format may change every other field.
Expected<int> read_format_version(const ordered_json& root) {
  const auto it = root.find("format_version");
  if (it == root.end() || !it->is_number_integer()) {
    return core::invalid_argument("'format_version' must be a positive integer");
  }
  if (it->is_number_unsigned()) {
    const auto version = it->get<std::uint64_t>();
    if (version > static_cast<std::uint64_t>(kCheckpointFormatVersion)) {
      return core::failed_precondition(
          fmt::format("format version {} is newer than version {}, the newest this tars ({}) "
                      "reads; load it with a newer tars",
                      version, kCheckpointFormatVersion, TARS_VERSION));
    }
    if (version >= 1) return static_cast<int>(version);
  }
  return core::invalid_argument("'format_version' must be a positive integer");
}

// The bytes of `dir`/`file`, checked against the SHA-256 that checkpoint.json records for it.
Expected<std::string> read_hashed_file(const std::filesystem::path& dir, const char* file,
                                       const std::string& expected_hash, std::string_view what) {
  auto bytes = core::read_file(dir / file);
  if (!bytes) {
    if (bytes.status().code() == core::ErrorCode::kNotFound) {
      return core::not_found(fmt::format("checkpoint '{}' has no {}", dir.string(), file));
    }
    return bytes.status();
  }
  const std::string actual_hash = sha256_hex(*bytes);
  if (actual_hash != expected_hash) {
    return core::failed_precondition(fmt::format(
        "checkpoint corrupted: {} hash mismatch in '{}' ({} records {}, {} hashes to {})", what,
        dir.string(), kCheckpointMetadataFile, expected_hash, file, actual_hash));
  }
  return bytes;
}

// Model tensors first, training-state tensors second: the names must say which they are.
Status check_tensor_parts(const std::vector<nn::StoredTensor>& model,
                          const TrainingState* training_state) {
  for (const nn::StoredTensor& tensor : model) {
    if (is_training_state_tensor(tensor.name)) {
      return core::invalid_argument(
          fmt::format("model tensor '{}' is named as training state", tensor.name));
    }
  }
  if (training_state == nullptr) return {};
  for (const nn::StoredTensor& tensor : training_state->tensors) {
    if (!is_training_state_tensor(tensor.name)) {
      return core::invalid_argument(
          fmt::format("training-state tensor '{}' must start with '{}' or '{}'", tensor.name,
                      kOptimizerTensorPrefix, kRolloutTensorPrefix));
    }
  }
  return {};
}

}  // namespace

bool is_training_state_tensor(std::string_view name) {
  return name.starts_with(kOptimizerTensorPrefix) || name.starts_with(kRolloutTensorPrefix);
}

const nn::StoredTensor* Checkpoint::find(std::string_view name) const {
  for (const nn::StoredTensor& tensor : tensors) {
    if (tensor.name == name) return &tensor;
  }
  return nullptr;
}

Status Checkpoint::check_shapes(const ShapeMap& expected) const {
  return rl::check_shapes(tensors, expected);
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  std::string hex;
  hex.reserve(2 * static_cast<std::size_t>(length));
  for (unsigned int i = 0; i < length; ++i) {
    fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
  }
  return hex;
}

std::string utc_timestamp_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  const std::size_t size = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text.data(), size);
}

Status check_shapes(const std::vector<nn::StoredTensor>& tensors, const ShapeMap& expected) {
  std::map<std::string_view, const nn::StoredTensor*> by_name;
  for (const nn::StoredTensor& tensor : tensors) by_name.emplace(tensor.name, &tensor);

  std::vector<std::string> problems;
  for (const auto& [name, shape] : expected) {
    const auto it = by_name.find(name);
    const nn::StoredTensor* found = it == by_name.end() ? nullptr : it->second;
    if (found == nullptr) {
      problems.push_back(
          fmt::format("missing tensor '{}' (expected shape {})", name, nn::shape_to_string(shape)));
    } else if (found->shape != shape) {
      problems.push_back(fmt::format("tensor '{}': expected shape {}, checkpoint has {}", name,
                                     nn::shape_to_string(shape),
                                     nn::shape_to_string(found->shape)));
    }
  }
  for (const nn::StoredTensor& tensor : tensors) {
    if (!expected.contains(tensor.name)) {
      problems.push_back(fmt::format("unexpected tensor '{}' with shape {}", tensor.name,
                                     nn::shape_to_string(tensor.shape)));
    }
  }
  if (problems.empty()) return {};
  return core::invalid_argument(
      fmt::format("checkpoint does not match the model: {}", fmt::join(problems, "; ")));
}

Expected<CheckpointMetadata> save_checkpoint(const std::filesystem::path& dir,
                                             const CheckpointMetadata& metadata,
                                             const std::vector<nn::StoredTensor>& tensors,
                                             const TrainingState* training_state,
                                             const nn::SafetensorsFile* replay_buffer) {
  const std::string context = fmt::format("cannot save checkpoint to '{}'", dir.string());
  if (metadata.algorithm.empty()) {
    return with_context(core::invalid_argument("algorithm is empty"), context);
  }
  if (metadata.env_id.empty()) {
    return with_context(core::invalid_argument("environment id is empty"), context);
  }
  if (metadata.steps < 0) {
    return with_context(core::invalid_argument("steps is negative"), context);
  }
  auto parsed_hyperparameters = parse_json(metadata.hyperparameters_json);
  if (!parsed_hyperparameters) {
    return with_context(
        with_context(parsed_hyperparameters.status(), "hyperparameters are not valid JSON"),
        context);
  }
  ordered_json hyperparameters = std::move(*parsed_hyperparameters);
  if (!hyperparameters.is_object()) {
    return with_context(core::invalid_argument("hyperparameters must be a JSON object"), context);
  }
  auto kwargs = kwargs_to_json(metadata.env_kwargs);
  if (!kwargs) return with_context(kwargs.status(), context);
  if (Status status = check_tensor_parts(tensors, training_state); !status.ok()) {
    return with_context(status, context);
  }
  std::optional<ordered_json> state_json;
  std::vector<nn::StoredTensor> model_tensors = tensors;
  if (training_state != nullptr) {
    auto parsed_state = parse_json(training_state->json);
    if (!parsed_state || !parsed_state->is_object()) {
      return with_context(core::invalid_argument("the training state is not a JSON object"),
                          context);
    }
    state_json = std::move(*parsed_state);
    model_tensors.insert(model_tensors.end(), training_state->tensors.begin(),
                         training_state->tensors.end());
  }

  auto model_bytes = nn::serialize_safetensors(model_tensors);
  if (!model_bytes) return with_context(model_bytes.status(), context);
  std::optional<std::string> replay_bytes;
  if (replay_buffer != nullptr) {
    auto bytes = nn::serialize_safetensors(replay_buffer->tensors, replay_buffer->metadata);
    if (!bytes) return with_context(bytes.status(), context);
    replay_bytes = std::move(*bytes);
  }

  CheckpointMetadata written = metadata;
  written.format_version = kCheckpointFormatVersion;
  written.tars_version = TARS_VERSION;
  if (written.created_at.empty()) written.created_at = utc_timestamp_now();
  written.content_hash = sha256_hex(*model_bytes);
  if (written.content_hash.empty()) {
    return with_context(Status(core::ErrorCode::kInternal, "SHA-256 failed in OpenSSL"), context);
  }
  written.hyperparameters_json = hyperparameters.dump();
  written.replay_buffer_hash = replay_bytes ? sha256_hex(*replay_bytes) : std::string();

  ordered_json root = ordered_json::object();
  root["format_version"] = written.format_version;
  root["algorithm"] = written.algorithm;
  root["env_id"] = written.env_id;
  root["env_kwargs"] = std::move(*kwargs);
  root["hyperparameters"] = std::move(hyperparameters);
  root["seed"] = written.seed;
  root["steps"] = written.steps;
  root["created_at"] = written.created_at;
  root["tars_version"] = written.tars_version;
  root["content_hash"] = written.content_hash;
  if (state_json) root["training_state"] = std::move(*state_json);
  if (replay_bytes) root["replay_buffer_hash"] = written.replay_buffer_hash;
  std::string metadata_text;
  try {
    metadata_text = root.dump(2) + "\n";
  } catch (const ordered_json::exception& error) {
    return with_context(core::invalid_argument("cannot encode checkpoint.json (text must be "
                                               "UTF-8): " +
                                               json_error_text(error)),
                        context);
  }

  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return with_context(core::io_error(error.message()), context);
  // The data first: checkpoint.json, written last, is what makes the new files current.
  if (Status status = core::write_file_atomically(dir / kCheckpointModelFile, *model_bytes);
      !status.ok()) {
    return status;
  }
  if (replay_bytes) {
    if (Status status =
            core::write_file_atomically(dir / kCheckpointReplayBufferFile, *replay_bytes);
        !status.ok()) {
      return status;
    }
  }
  if (Status status = core::write_file_atomically(dir / kCheckpointMetadataFile, metadata_text);
      !status.ok()) {
    return status;
  }
  // A replay buffer of an earlier save in this directory no longer belongs to it.
  if (!replay_bytes) std::filesystem::remove(dir / kCheckpointReplayBufferFile, error);
  return written;
}

Expected<Checkpoint> load_checkpoint(const std::filesystem::path& dir) {
  const std::string context = fmt::format("checkpoint '{}'", dir.string());
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return core::not_found(fmt::format("checkpoint directory '{}' does not exist", dir.string()));
  }

  auto metadata_text = core::read_file(dir / kCheckpointMetadataFile);
  if (!metadata_text) {
    if (metadata_text.status().code() == core::ErrorCode::kNotFound) {
      return core::not_found(fmt::format("{} has no {}", context, kCheckpointMetadataFile));
    }
    return metadata_text.status();
  }
  const std::string metadata_context = fmt::format("{}: {}", context, kCheckpointMetadataFile);
  auto parsed_root = parse_json(*metadata_text);
  if (!parsed_root) {
    return with_context(parsed_root.status(), metadata_context + " is not valid JSON");
  }
  const ordered_json root = std::move(*parsed_root);
  if (!root.is_object()) {
    return core::invalid_argument(fmt::format("{} is not a JSON object", metadata_context));
  }
  auto version = read_format_version(root);
  if (!version) return with_context(version.status(), metadata_context);
  auto metadata = metadata_from_json(root, *version);
  if (!metadata) return with_context(metadata.status(), metadata_context);

  auto model_bytes = read_hashed_file(dir, kCheckpointModelFile, metadata->content_hash, "content");
  if (!model_bytes) return model_bytes.status();
  auto file = nn::parse_safetensors(*model_bytes);
  if (!file) {
    return with_context(file.status(), fmt::format("{}: {}", context, kCheckpointModelFile));
  }
  Checkpoint checkpoint{std::move(*metadata), {}, std::nullopt};
  std::vector<nn::StoredTensor> state_tensors;
  for (nn::StoredTensor& tensor : file->tensors) {
    (is_training_state_tensor(tensor.name) ? state_tensors : checkpoint.tensors)
        .push_back(std::move(tensor));
  }
  if (const auto state = root.find("training_state"); state != root.end()) {
    if (!state->is_object()) {
      return core::invalid_argument(
          fmt::format("{}: 'training_state' must be a JSON object", metadata_context));
    }
    checkpoint.training_state = TrainingState{std::move(state_tensors), state->dump()};
  } else if (!state_tensors.empty()) {
    return core::invalid_argument(
        fmt::format("{}: {} holds training-state tensors ('{}', ...) but there is no "
                    "'training_state'",
                    metadata_context, kCheckpointModelFile, state_tensors.front().name));
  }
  return checkpoint;
}

Expected<std::optional<nn::SafetensorsFile>> load_replay_buffer(
    const std::filesystem::path& dir, const CheckpointMetadata& metadata) {
  if (metadata.replay_buffer_hash.empty()) return std::optional<nn::SafetensorsFile>();
  auto bytes = read_hashed_file(dir, kCheckpointReplayBufferFile, metadata.replay_buffer_hash,
                                "replay buffer");
  if (!bytes) return bytes.status();
  auto file = nn::parse_safetensors(*bytes);
  if (!file) {
    return with_context(file.status(), fmt::format("checkpoint '{}': {}", dir.string(),
                                                   kCheckpointReplayBufferFile));
  }
  return std::optional<nn::SafetensorsFile>(std::move(*file));
}

std::string hyperparameters_json(const Hyperparameters& hyperparameters) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, text] : hyperparameters.as_text()) object[name] = text;
  return object.dump();
}

core::Status apply_checkpoint_hyperparameters(const CheckpointMetadata& metadata,
                                              Hyperparameters& hyperparameters) {
  const nlohmann::json object =
      nlohmann::json::parse(metadata.hyperparameters_json, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) {
    return core::invalid_argument("checkpoint hyperparameters are not a JSON object");
  }
  std::vector<std::pair<std::string, std::string>> assignments;
  for (const auto& [name, value] : object.items()) {
    if (!value.is_string()) {
      return core::invalid_argument(
          fmt::format("checkpoint hyperparameter '{}' is not a string", name));
    }
    assignments.emplace_back(name, value.get<std::string>());
  }
  if (core::Status status = hyperparameters.set_all(assignments); !status.ok()) {
    return core::invalid_argument("checkpoint: " + status.message());
  }
  return {};
}

}  // namespace tars::rl
