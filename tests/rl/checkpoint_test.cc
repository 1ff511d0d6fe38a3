#include "tars/rl/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace tars::rl {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

using test::TempDir;

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

CheckpointMetadata sample_metadata() {
  CheckpointMetadata metadata;
  metadata.algorithm = "ppo";
  metadata.env_id = "LunarLander-v3";
  metadata.env_kwargs = {{"continuous", true}, {"gravity", -9.5}, {"mode", std::string("hard")}};
  metadata.hyperparameters_json =
      R"({"learning_rate": "lin_0.001", "n_steps": 1024, "gamma": 0.99})";
  metadata.seed = 42;
  metadata.steps = 100000;
  return metadata;
}

std::vector<nn::StoredTensor> sample_tensors() {
  return {
      {"actor.layers.0.weight", {64, 4}, std::vector<float>(256, 0.25F)},
      {"actor.layers.0.bias", {64}, std::vector<float>(64, -1.0F)},
      {"critic.log_std", {2}, std::vector<double>{0.5, -0.5}},
  };
}

// Saves the sample checkpoint into `dir`/ckpt and returns that directory.
std::filesystem::path save_sample(const TempDir& dir) {
  auto path = dir.path() / "ckpt";
  auto saved = save_checkpoint(path, sample_metadata(), sample_tensors());
  EXPECT_TRUE(saved.ok()) << saved.status().to_string();
  return path;
}

std::string load_error(const std::filesystem::path& path) {
  auto loaded = load_checkpoint(path);
  EXPECT_FALSE(loaded.ok()) << "loaded a bad checkpoint";
  return loaded.ok() ? std::string() : loaded.status().message();
}

// Rewrites one field of checkpoint.json.
void edit_metadata(const std::filesystem::path& path, const std::string& key,
                   const nlohmann::json& value) {
  auto root = nlohmann::json::parse(read_all(path / kCheckpointMetadataFile));
  root[key] = value;
  write_all(path / kCheckpointMetadataFile, root.dump(2));
}

TEST(CheckpointTest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CheckpointTest, RoundTripsMetadataAndTensors) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto path = dir.path() / "nested" / "ckpt";
  auto saved = save_checkpoint(path, sample_metadata(), sample_tensors());
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_EQ(saved->format_version, kCheckpointFormatVersion);
  EXPECT_FALSE(saved->tars_version.empty());
  EXPECT_THAT(saved->created_at,
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  EXPECT_EQ(saved->content_hash, sha256_hex(read_all(path / kCheckpointModelFile)));

  auto loaded = load_checkpoint(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const CheckpointMetadata& metadata = loaded->metadata;
  EXPECT_EQ(metadata.format_version, kCheckpointFormatVersion);
  EXPECT_EQ(metadata.algorithm, "ppo");
  EXPECT_EQ(metadata.env_id, "LunarLander-v3");
  EXPECT_EQ(metadata.env_kwargs, sample_metadata().env_kwargs);
  EXPECT_EQ(nlohmann::json::parse(metadata.hyperparameters_json),
            nlohmann::json::parse(sample_metadata().hyperparameters_json));
  EXPECT_EQ(metadata.seed, 42U);
  EXPECT_EQ(metadata.steps, 100000);
  EXPECT_EQ(metadata.created_at, saved->created_at);
  EXPECT_EQ(metadata.tars_version, saved->tars_version);
  EXPECT_EQ(metadata.content_hash, saved->content_hash);

  const auto expected = sample_tensors();
  ASSERT_EQ(loaded->tensors.size(), expected.size());
  for (const auto& tensor : expected) {
    const nn::StoredTensor* actual = loaded->find(tensor.name);
    ASSERT_NE(actual, nullptr) << tensor.name;
    EXPECT_EQ(actual->shape, tensor.shape);
    EXPECT_EQ(actual->data, tensor.data);
  }

  // checkpoint.json is plain JSON with every documented field.
  const auto root = nlohmann::json::parse(read_all(path / kCheckpointMetadataFile));
  for (const char* key : {"format_version", "algorithm", "env_id", "env_kwargs", "hyperparameters",
                          "seed", "steps", "created_at", "tars_version", "content_hash"}) {
    EXPECT_TRUE(root.contains(key)) << key;
  }
  EXPECT_TRUE(root["hyperparameters"].is_object());
  EXPECT_EQ(root["hyperparameters"]["n_steps"], 1024);
}

TEST(CheckpointTest, SameTensorsGiveTheSameHashAndKeepAGivenTimestamp) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  CheckpointMetadata metadata = sample_metadata();
  metadata.created_at = "2025-01-31T12:00:00Z";
  auto first = save_checkpoint(dir.path() / "a", metadata, sample_tensors());
  auto second = save_checkpoint(dir.path() / "b", metadata, sample_tensors());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->content_hash, second->content_hash);
  EXPECT_EQ(read_all(dir.path() / "a" / kCheckpointModelFile),
            read_all(dir.path() / "b" / kCheckpointModelFile));
  EXPECT_EQ(read_all(dir.path() / "a" / kCheckpointMetadataFile),
            read_all(dir.path() / "b" / kCheckpointMetadataFile));
  EXPECT_EQ(first->created_at, "2025-01-31T12:00:00Z");
}

TEST(CheckpointTest, DetectsAFlippedByteAnywhereInTheModel) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto path = save_sample(dir);
  const std::string original = read_all(path / kCheckpointModelFile);
  // One byte in the tensor data, one in the JSON header.
  for (std::size_t offset : {original.size() - 3, std::size_t{20}}) {
    std::string corrupted = original;
    corrupted[offset] = static_cast<char>(corrupted[offset] ^ 0x01);
    write_all(path / kCheckpointModelFile, corrupted);
    const std::string message = load_error(path);
    EXPECT_THAT(message, HasSubstr("checkpoint corrupted: content hash mismatch"));
    EXPECT_THAT(message, HasSubstr(sha256_hex(corrupted)));
  }
  write_all(path / kCheckpointModelFile, original);
  EXPECT_TRUE(load_checkpoint(path).ok());
}

TEST(CheckpointTest, RefusesNewerFormatVersionsNamingBoth) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto path = save_sample(dir);
  edit_metadata(path, "format_version", 3);
  auto loaded = load_checkpoint(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("format version 3 is newer than version 2, the newest this tars"));

  edit_metadata(path, "format_version", 0);
  EXPECT_THAT(load_error(path), HasSubstr("'format_version' must be a positive integer"));
  edit_metadata(path, "format_version", "1");
  EXPECT_THAT(load_error(path), HasSubstr("'format_version' must be a positive integer"));
  edit_metadata(path, "format_version", 1);
  EXPECT_TRUE(load_checkpoint(path).ok());
}

TEST(CheckpointTest, RejectsMalformedMetadata) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto path = save_sample(dir);
  const std::string original = read_all(path / kCheckpointMetadataFile);

  write_all(path / kCheckpointMetadataFile, "{\"format_version\": 1,");
  EXPECT_THAT(load_error(path), HasSubstr("checkpoint.json is not valid JSON"));
  write_all(path / kCheckpointMetadataFile, original + std::string("\0}", 2));
  EXPECT_THAT(load_error(path), HasSubstr("checkpoint.json is not valid JSON: NUL byte"));
  write_all(path / kCheckpointMetadataFile, "[]");
  EXPECT_THAT(load_error(path), HasSubstr("checkpoint.json is not a JSON object"));

  write_all(path / kCheckpointMetadataFile, original);
  edit_metadata(path, "seed", -1);
  EXPECT_THAT(load_error(path), HasSubstr("'seed' must be a non-negative integer"));
  write_all(path / kCheckpointMetadataFile, original);
  edit_metadata(path, "content_hash", "abc");
  EXPECT_THAT(load_error(path), HasSubstr("'content_hash' must be 64 lowercase hex digits"));
  write_all(path / kCheckpointMetadataFile, original);
  edit_metadata(path, "hyperparameters", nlohmann::json::array());
  EXPECT_THAT(load_error(path), HasSubstr("'hyperparameters' must be a JSON object"));
  write_all(path / kCheckpointMetadataFile, original);
  edit_metadata(path, "env_kwargs", {{"wind", nullptr}});
  EXPECT_THAT(load_error(path),
              HasSubstr("env_kwargs 'wind' must be a boolean, a number or a string"));
}

TEST(CheckpointTest, ReportsMalformedModelWithAMatchingHash) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto path = save_sample(dir);
  const std::string garbage = "not a safetensors file";
  write_all(path / kCheckpointModelFile, garbage);
  edit_metadata(path, "content_hash", sha256_hex(garbage));
  const std::string message = load_error(path);
  EXPECT_THAT(message, HasSubstr("model.safetensors: "));
  EXPECT_THAT(message, HasSubstr("header length"));
}

TEST(CheckpointTest, ReportsMissingFiles) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto missing = load_checkpoint(dir.path() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), core::ErrorCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("checkpoint directory"));
  EXPECT_THAT(missing.status().message(), HasSubstr("does not exist"));

  const auto path = save_sample(dir);
  std::filesystem::remove(path / kCheckpointModelFile);
  EXPECT_THAT(load_error(path), HasSubstr("has no model.safetensors"));
  std::filesystem::remove(path / kCheckpointMetadataFile);
  EXPECT_THAT(load_error(path), HasSubstr("has no checkpoint.json"));
}

TEST(CheckpointTest, CheckShapesNamesEveryMismatch) {
  const auto tensors = sample_tensors();
  EXPECT_TRUE(check_shapes(tensors, {{"actor.layers.0.weight", {64, 4}},
                                     {"actor.layers.0.bias", {64}},
                                     {"critic.log_std", {2}}})
                  .ok());

  const core::Status wrong = check_shapes(
      tensors,
      {{"actor.layers.0.weight", {32, 4}}, {"actor.layers.0.bias", {64}}, {"critic.log_std", {2}}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.message(),
            "checkpoint does not match the model: tensor 'actor.layers.0.weight': expected shape "
            "[32, 4], checkpoint has [64, 4]");

  Checkpoint checkpoint{sample_metadata(), tensors};
  const core::Status several = checkpoint.check_shapes(
      {{"actor.layers.0.weight", {64, 4}}, {"actor.layers.0.bias", {64}}, {"critic.bias", {1}}});
  ASSERT_FALSE(several.ok());
  EXPECT_THAT(several.message(), HasSubstr("missing tensor 'critic.bias' (expected shape [1])"));
  EXPECT_THAT(several.message(), HasSubstr("unexpected tensor 'critic.log_std' with shape [2]"));
}

std::string save_error_with(const TempDir& dir, const TrainingState* state,
                            const nn::SafetensorsFile* replay) {
  auto saved =
      save_checkpoint(dir.path() / "bad", sample_metadata(), sample_tensors(), state, replay);
  EXPECT_FALSE(saved.ok());
  return saved.ok() ? std::string() : saved.status().message();
}

TEST(CheckpointTest, SaveRejectsBadInput) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto save_error = [&](const CheckpointMetadata& metadata,
                        const std::vector<nn::StoredTensor>& tensors) {
    auto saved = save_checkpoint(dir.path() / "bad", metadata, tensors);
    EXPECT_FALSE(saved.ok());
    return saved.ok() ? std::string() : saved.status().message();
  };
  CheckpointMetadata metadata = sample_metadata();
  metadata.algorithm.clear();
  EXPECT_THAT(save_error(metadata, sample_tensors()), HasSubstr("algorithm is empty"));
  metadata = sample_metadata();
  metadata.hyperparameters_json = "[1, 2]";
  EXPECT_THAT(save_error(metadata, sample_tensors()),
              HasSubstr("hyperparameters must be a JSON object"));
  metadata.hyperparameters_json = "{";
  EXPECT_THAT(save_error(metadata, sample_tensors()),
              HasSubstr("hyperparameters are not valid JSON"));
  EXPECT_THAT(save_error(sample_metadata(), {{"w", {2}, std::vector<float>{1}}}),
              HasSubstr("tensor 'w': shape [2] has 2 elements, the data has 1"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "bad"));

  const TrainingState misnamed{{{"adam.m", {1}, std::vector<float>{0}}}, "{}"};
  EXPECT_THAT(save_error_with(dir, &misnamed, nullptr),
              HasSubstr("training-state tensor 'adam.m' must start with 'optimizer.'"));
  const TrainingState not_object{{}, "[1]"};
  EXPECT_THAT(save_error_with(dir, &not_object, nullptr),
              HasSubstr("the training state is not a JSON object"));
  EXPECT_THAT(save_error(sample_metadata(), {{"optimizer.w", {1}, std::vector<float>{0}}}),
              HasSubstr("model tensor 'optimizer.w' is named as training state"));
}

TrainingState sample_state() {
  return {{{"optimizer.actor.layers.0.weight.exp_avg", {64, 4}, std::vector<float>(256, 0.5F)},
           {"rollout.values", {3, 1}, std::vector<float>{1, 2, 3}}},
          R"({"steps": 7, "rng": {"state": "0x1"}})"};
}

nn::SafetensorsFile sample_replay() {
  return {{{"rewards", {2}, std::vector<float>{1, -1}}}, {{"size", "2"}}};
}

// The training state goes into model.safetensors and checkpoint.json, the replay buffer into its
// own hashed file; loading splits the model's tensors from the state's.
TEST(CheckpointTest, RoundTripsTrainingStateAndReplayBuffer) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto path = dir.path() / "ckpt";
  const TrainingState state = sample_state();
  const nn::SafetensorsFile replay = sample_replay();
  auto saved = save_checkpoint(path, sample_metadata(), sample_tensors(), &state, &replay);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_EQ(saved->replay_buffer_hash, sha256_hex(read_all(path / kCheckpointReplayBufferFile)));

  auto loaded = load_checkpoint(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->tensors.size(), sample_tensors().size());
  ASSERT_TRUE(loaded->training_state.has_value());
  EXPECT_EQ(nlohmann::json::parse(loaded->training_state->json), nlohmann::json::parse(state.json));
  ASSERT_EQ(loaded->training_state->tensors.size(), 2u);
  EXPECT_EQ(loaded->metadata.replay_buffer_hash, saved->replay_buffer_hash);
  const auto root = nlohmann::json::parse(read_all(path / kCheckpointMetadataFile));
  EXPECT_EQ(root["training_state"]["steps"], 7);

  auto buffer = load_replay_buffer(path, loaded->metadata);
  ASSERT_TRUE(buffer.ok()) << buffer.status().to_string();
  ASSERT_TRUE(buffer->has_value());
  EXPECT_EQ((*buffer)->metadata.at("size"), "2");
  EXPECT_EQ(*(*buffer)->find("rewards")->f32(), (std::vector<float>{1, -1}));

  // A corrupted replay buffer is named by its hash; a missing one by its file name.
  std::string bytes = read_all(path / kCheckpointReplayBufferFile);
  bytes.back() ^= 1;
  write_all(path / kCheckpointReplayBufferFile, bytes);
  auto corrupted = load_replay_buffer(path, loaded->metadata);
  ASSERT_FALSE(corrupted.ok());
  EXPECT_THAT(corrupted.status().message(),
              HasSubstr("checkpoint corrupted: replay buffer hash mismatch"));
  std::filesystem::remove(path / kCheckpointReplayBufferFile);
  EXPECT_THAT(load_replay_buffer(path, loaded->metadata).status().message(),
              HasSubstr("has no replay_buffer.safetensors"));

  // Saving again without a replay buffer removes the stale file and its hash.
  write_all(path / kCheckpointReplayBufferFile, "stale");
  auto again = save_checkpoint(path, sample_metadata(), sample_tensors(), &state);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(std::filesystem::exists(path / kCheckpointReplayBufferFile));
  auto reloaded = load_checkpoint(path);
  ASSERT_TRUE(reloaded.ok());
  auto none = load_replay_buffer(path, reloaded->metadata);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

// Version 1 (weights only, no training_state) still loads; state tensors without a
// training_state, or a training_state that is not an object, are refused by name.
TEST(CheckpointTest, ReadsVersionOneAndRefusesAMalformedTrainingState) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const auto path = save_sample(dir);
  edit_metadata(path, "format_version", 1);
  auto v1 = load_checkpoint(path);
  ASSERT_TRUE(v1.ok()) << v1.status().to_string();
  EXPECT_EQ(v1->metadata.format_version, 1);
  EXPECT_FALSE(v1->training_state.has_value());
  EXPECT_EQ(v1->tensors.size(), sample_tensors().size());

  const TrainingState state = sample_state();
  ASSERT_TRUE(save_checkpoint(path, sample_metadata(), sample_tensors(), &state).ok());
  edit_metadata(path, "training_state", "steps");
  EXPECT_THAT(load_error(path), HasSubstr("'training_state' must be a JSON object"));
  auto root = nlohmann::json::parse(read_all(path / kCheckpointMetadataFile));
  root.erase("training_state");
  write_all(path / kCheckpointMetadataFile, root.dump());
  EXPECT_THAT(load_error(path), HasSubstr("holds training-state tensors ('optimizer.actor"));
  edit_metadata(path, "replay_buffer_hash", "abc");
  EXPECT_THAT(load_error(path), HasSubstr("'replay_buffer_hash' must be 64 lowercase hex digits"));
}

}  // namespace
}  // namespace tars::rl
