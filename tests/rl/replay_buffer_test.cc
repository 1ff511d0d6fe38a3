#include "tars/rl/replay_buffer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

#include "tars/core/rng.h"
#include "tars/env/vector_env.h"

namespace tars::rl {
namespace {

using ::testing::HasSubstr;

ReplayBuffer make_buffer(std::size_t capacity, std::size_t observation_size = 2) {
  auto made = ReplayBuffer::make({.capacity = capacity,
                                  .observation_size = observation_size,
                                  .discrete_actions = true,
                                  .action_size = 1});
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return std::move(made).value();
}

// Transition i: observation (i, -i), action i % 3, reward i, next observation (i + 1, -i - 1),
// terminated when i % 4 == 3.
void add_numbered(ReplayBuffer& buffer, int i) {
  const float x = static_cast<float>(i);
  const std::vector<float> observation = {x, -x};
  const std::vector<float> next = {x + 1.0f, -x - 1.0f};
  ASSERT_TRUE(buffer.add(observation, std::int64_t{i % 3}, i, next, i % 4 == 3).ok());
}

// Reads slot contents back through gather().
ReplayBatch read_slots(const ReplayBuffer& buffer, std::vector<std::int64_t> slots) {
  ReplayBatch batch;
  batch.indices = std::move(slots);
  buffer.gather(batch);
  return batch;
}

TEST(ReplayBufferTest, StorageBytesCountEveryArray) {
  // Per transition: 2 x 4 observation floats (32 bytes) + an int64 action (8) + reward and
  // terminated floats (8) = 48 bytes.
  EXPECT_EQ(ReplayBuffer::storage_bytes({.capacity = 10, .observation_size = 4}), 480u);
  // Box(3,) actions: 32 + 12 + 8 = 52 bytes.
  EXPECT_EQ(
      ReplayBuffer::storage_bytes(
          {.capacity = 10, .observation_size = 4, .discrete_actions = false, .action_size = 3}),
      520u);
  // Overflowing 64 bits saturates instead of wrapping to a small number.
  EXPECT_EQ(ReplayBuffer::storage_bytes({.capacity = SIZE_MAX, .observation_size = 1 << 20}),
            UINT64_MAX);
}

TEST(ReplayBufferTest, RejectsAnAbsurdCapacityBeforeAllocating) {
  // 10^13 transitions of 48 bytes: 437 TiB.
  auto made = ReplayBuffer::make({.capacity = 10'000'000'000'000, .observation_size = 4});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), core::ErrorCode::kOutOfRange);
  EXPECT_THAT(made.status().message(),
              HasSubstr("replay buffer (capacity 10000000000000 transitions of 4 observation "
                        "floats, a discrete action) needs 436.56 TiB but only"));
  auto overflowing = ReplayBuffer::make({.capacity = SIZE_MAX, .observation_size = 1 << 20});
  ASSERT_FALSE(overflowing.ok());
  EXPECT_THAT(overflowing.status().message(), HasSubstr("needs 16777216.00 TiB"));
}

TEST(ReplayBufferTest, RejectsBadOptions) {
  EXPECT_THAT(ReplayBuffer::make({.capacity = 0, .observation_size = 4}).status().message(),
              HasSubstr("capacity must be > 0"));
  EXPECT_THAT(ReplayBuffer::make({.capacity = 4, .observation_size = 0}).status().message(),
              HasSubstr("observation_size must be > 0"));
  EXPECT_THAT(
      ReplayBuffer::make(
          {.capacity = 4, .observation_size = 2, .discrete_actions = false, .action_size = 0})
          .status()
          .message(),
      HasSubstr("action_size must be > 0"));
}

TEST(ReplayBufferTest, RingOverwritesTheOldestTransitions) {
  ReplayBuffer buffer = make_buffer(5);
  for (int i = 0; i < 3; ++i) add_numbered(buffer, i);
  EXPECT_EQ(buffer.size(), 3u);
  EXPECT_EQ(buffer.position(), 3u);
  for (int i = 3; i < 7; ++i) add_numbered(buffer, i);
  EXPECT_EQ(buffer.size(), 5u);
  EXPECT_EQ(buffer.position(), 2u);
  EXPECT_EQ(buffer.num_added(), 7u);
  // Slots 0 and 1 now hold transitions 5 and 6; slots 2..4 still hold 2..4.
  const ReplayBatch batch = read_slots(buffer, {0, 1, 2, 3, 4});
  const std::vector<int> expected = {5, 6, 2, 3, 4};
  for (std::size_t row = 0; row < expected.size(); ++row) {
    const auto i = static_cast<float>(expected[row]);
    EXPECT_EQ(batch.observations[2 * row], i);
    EXPECT_EQ(batch.observations[2 * row + 1], -i);
    EXPECT_EQ(batch.next_observations[2 * row], i + 1.0f);
    EXPECT_EQ(batch.discrete_actions[row], expected[row] % 3);
    EXPECT_EQ(batch.rewards[row], i);
    EXPECT_EQ(batch.terminated[row], expected[row] % 4 == 3 ? 1.0f : 0.0f);
  }
}

TEST(ReplayBufferTest, BatchedAddWrapsAroundTheEnd) {
  ReplayBuffer buffer = make_buffer(5, 1);
  // Two batches of three: the second one writes slots 3, 4 and 0.
  for (int batch_index = 0; batch_index < 2; ++batch_index) {
    const float base = 10.0f * static_cast<float>(batch_index);
    const std::vector<float> observations = {base, base + 1, base + 2};
    const std::vector<float> next = {base + 0.5f, base + 1.5f, base + 2.5f};
    const std::vector<std::int64_t> actions = {0, 1, 2};
    const std::vector<double> rewards = {base, base + 1, base + 2};
    const std::vector<std::uint8_t> terminated = {0, 0, 1};
    ASSERT_TRUE(buffer
                    .add(TransitionBatch{.observations = observations,
                                         .discrete_actions = actions,
                                         .continuous_actions = {},
                                         .rewards = rewards,
                                         .next_observations = next,
                                         .terminated = terminated})
                    .ok());
  }
  EXPECT_EQ(buffer.size(), 5u);
  EXPECT_EQ(buffer.position(), 1u);
  const ReplayBatch batch = read_slots(buffer, {0, 1, 2, 3, 4});
  EXPECT_EQ(batch.observations, (std::vector<float>{12, 1, 2, 10, 11}));
  EXPECT_EQ(batch.next_observations, (std::vector<float>{12.5f, 1.5f, 2.5f, 10.5f, 11.5f}));
  EXPECT_EQ(batch.discrete_actions, (std::vector<std::int64_t>{2, 1, 2, 0, 1}));
  EXPECT_EQ(batch.terminated, (std::vector<float>{1, 0, 1, 0, 0}));
}

TEST(ReplayBufferTest, SamplesOnlyStoredSlotsAndEveryOneOfThem) {
  ReplayBuffer buffer = make_buffer(10);
  for (int i = 0; i < 3; ++i) add_numbered(buffer, i);
  core::Generator rng(7);
  ReplayBatch batch;
  std::vector<int> seen(10, 0);
  for (int round = 0; round < 100; ++round) {
    ASSERT_TRUE(buffer.sample(32, rng, batch).ok());
    ASSERT_EQ(batch.size(), 32u);
    for (std::size_t row = 0; row < batch.size(); ++row) {
      const std::int64_t slot = batch.indices[row];
      ASSERT_GE(slot, 0);
      ASSERT_LT(slot, 3);  // slots 3..9 are not filled yet
      ++seen[slot];
      // The row is the transition stored in that slot.
      EXPECT_EQ(batch.rewards[row], static_cast<float>(slot));
      EXPECT_EQ(batch.observations[2 * row], static_cast<float>(slot));
      EXPECT_EQ(batch.weights[row], 1.0f);
    }
  }
  for (int slot = 0; slot < 3; ++slot) EXPECT_GT(seen[slot], 900);  // 3200 draws, ~1067 each
  for (int i = 3; i < 25; ++i) add_numbered(buffer, i);             // full and wrapped
  std::vector<int> full_seen(10, 0);
  for (int round = 0; round < 100; ++round) {
    ASSERT_TRUE(buffer.sample(32, rng, batch).ok());
    for (const std::int64_t slot : batch.indices) {
      ASSERT_GE(slot, 0);
      ASSERT_LT(slot, 10);
      ++full_seen[slot];
    }
  }
  for (int slot = 0; slot < 10; ++slot) EXPECT_GT(full_seen[slot], 200);  // ~320 each
}

TEST(ReplayBufferTest, SampleIndicesAreNumPyIntegers) {
  ReplayBuffer buffer = make_buffer(10);
  for (int i = 0; i < 10; ++i) add_numbered(buffer, i);
  // ../shared/reference/numpy_rng.json, seed 0: default_rng(0).integers(0, 10, 8).
  core::Generator rng(0);
  ReplayBatch batch;
  ASSERT_TRUE(buffer.sample(8, rng, batch).ok());
  EXPECT_EQ(batch.indices, (std::vector<std::int64_t>{8, 6, 5, 2, 3, 0, 0, 0}));
}

TEST(ReplayBufferTest, SampleReusesTheBatchStorage) {
  ReplayBuffer buffer = make_buffer(8);
  for (int i = 0; i < 8; ++i) add_numbered(buffer, i);
  core::Generator rng(1);
  ReplayBatch batch;
  ASSERT_TRUE(buffer.sample(16, rng, batch).ok());
  const float* observations = batch.observations.data();
  const std::int64_t* indices = batch.indices.data();
  ASSERT_TRUE(buffer.sample(16, rng, batch).ok());
  EXPECT_EQ(batch.observations.data(), observations);
  EXPECT_EQ(batch.indices.data(), indices);
}

TEST(ReplayBufferTest, StoresBoxActions) {
  auto made = ReplayBuffer::make(
      {.capacity = 4, .observation_size = 1, .discrete_actions = false, .action_size = 2});
  ASSERT_TRUE(made.ok());
  ReplayBuffer& buffer = *made;
  const std::vector<float> observation = {1.0f};
  const std::vector<float> action = {0.25f, -0.75f};
  ASSERT_TRUE(buffer.add(observation, action, 2.0, observation, false).ok());
  const ReplayBatch batch = read_slots(buffer, {0});
  EXPECT_EQ(batch.continuous_actions, action);
  EXPECT_TRUE(batch.discrete_actions.empty());
}

TEST(ReplayBufferTest, RejectsMismatchedInputs) {
  ReplayBuffer buffer = make_buffer(4);
  const std::vector<float> two = {1.0f, 2.0f};
  const std::vector<float> three = {1.0f, 2.0f, 3.0f};
  EXPECT_THAT(buffer.add(three, std::int64_t{0}, 0.0, two, false).message(),
              HasSubstr("observations has 3 values, expected 2"));
  EXPECT_THAT(buffer.add(two, std::int64_t{0}, 0.0, three, false).message(),
              HasSubstr("next_observations has 3 values, expected 2"));
  EXPECT_THAT(buffer.add(two, std::span<const float>(two), 0.0, two, false).message(),
              HasSubstr("Box action for discrete actions"));
  EXPECT_EQ(buffer.size(), 0u);  // nothing was written
  ReplayBatch batch;
  core::Generator rng(0);
  const core::Status empty = buffer.sample(4, rng, batch);
  EXPECT_EQ(empty.code(), core::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(buffer.add(two, std::int64_t{0}, 0.0, two, false).ok());
  EXPECT_THAT(buffer.sample(0, rng, batch).message(), HasSubstr("batch_size must be > 0"));
}

TEST(ReplayBufferTest, AddsAVectorEnvStepWithFinalObservations) {
  env::VectorEnvOptions options;
  options.num_envs = 2;
  options.max_episode_steps = 3;  // both copies are truncated on the third step
  auto made = env::VectorEnv::make("CartPole-v1", {}, options);
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  env::VectorEnv& vector_env = **made;
  ASSERT_TRUE(vector_env.reset(0).ok());
  ReplayBuffer buffer = make_buffer(16, vector_env.observation_size());
  const std::vector<std::int64_t> actions = {0, 1};
  for (int step = 0; step < 3; ++step) {
    const std::vector<float> before(vector_env.observations().begin(),
                                    vector_env.observations().end());
    ASSERT_TRUE(vector_env.step(actions).ok());
    ASSERT_TRUE(buffer.add(before, actions, vector_env).ok());
  }
  ASSERT_EQ(buffer.size(), 6u);
  ASSERT_TRUE(vector_env.truncated()[0] && vector_env.truncated()[1]);
  const ReplayBatch batch = read_slots(buffer, {0, 1, 2, 3, 4, 5});
  const std::size_t obs = vector_env.observation_size();
  for (int copy = 0; copy < 2; ++copy) {
    // Steps 0 and 1: the next observation is the following step's observation.
    for (int step = 0; step < 2; ++step) {
      const std::size_t row = static_cast<std::size_t>(2 * step + copy);
      const std::size_t following = row + 2;
      for (std::size_t k = 0; k < obs; ++k) {
        EXPECT_EQ(batch.next_observations[row * obs + k], batch.observations[following * obs + k]);
      }
      EXPECT_EQ(batch.rewards[row], 1.0f);
      EXPECT_EQ(batch.terminated[row], 0.0f);
    }
    // Step 2 was truncated: the stored next observation is the final one, not the reset one,
    // and the transition is not terminal, so a target bootstraps from it.
    const std::size_t row = static_cast<std::size_t>(4 + copy);
    const std::span<const float> final_observation = vector_env.final_observation(copy);
    const std::span<const float> reset_observation = vector_env.observation(copy);
    EXPECT_NE(final_observation[0], reset_observation[0]);
    for (std::size_t k = 0; k < obs; ++k) {
      EXPECT_EQ(batch.next_observations[row * obs + k], final_observation[k]);
    }
    EXPECT_EQ(batch.terminated[row], 0.0f);
  }
}

TEST(ReplayBufferTest, RefusesNextStepAutoreset) {
  env::VectorEnvOptions options;
  options.num_envs = 2;
  options.autoreset_mode = env::AutoresetMode::kNextStep;
  auto made = env::VectorEnv::make("CartPole-v1", {}, options);
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE((*made)->reset(0).ok());
  ReplayBuffer buffer = make_buffer(4, 4);
  const std::vector<float> before((*made)->observations().begin(), (*made)->observations().end());
  const std::vector<std::int64_t> actions = {0, 1};
  ASSERT_TRUE((*made)->step(actions).ok());
  EXPECT_THAT(buffer.add(before, actions, **made).message(), HasSubstr("same-step autoreset"));
}

// save() / load() reproduce a wrapped ring slot for slot: position, samples and what the next
// add overwrites; inconsistent files are refused by name.
TEST(ReplayBufferTest, SaveAndLoadRestoreTheRingExactly) {
  ReplayBuffer buffer = make_buffer(5);
  for (int i = 0; i < 7; ++i) add_numbered(buffer, i);
  nn::SafetensorsFile file;
  buffer.save(file);
  EXPECT_EQ(file.metadata.at("position"), "2");
  EXPECT_EQ(file.metadata.at("num_added"), "7");

  ReplayBuffer restored = make_buffer(5);
  add_numbered(restored, 42);
  ASSERT_TRUE(restored.load(file).ok());
  EXPECT_EQ(restored.size(), 5u);
  EXPECT_EQ(restored.position(), 2u);
  EXPECT_EQ(restored.num_added(), 7u);
  core::Generator a(3), b(3);
  ReplayBatch from_original, from_restored;
  ASSERT_TRUE(buffer.sample(16, a, from_original).ok());
  ASSERT_TRUE(restored.sample(16, b, from_restored).ok());
  EXPECT_EQ(from_original.observations, from_restored.observations);
  EXPECT_EQ(from_original.discrete_actions, from_restored.discrete_actions);
  EXPECT_EQ(from_original.terminated, from_restored.terminated);
  add_numbered(restored, 7);
  EXPECT_EQ(read_slots(restored, {2}).rewards, std::vector<float>{7.0f});

  ReplayBuffer other = make_buffer(6);
  EXPECT_THAT(other.load(file).message(), HasSubstr("capacity 5 differs from this buffer's 6"));
  nn::SafetensorsFile inconsistent = file;
  inconsistent.metadata["position"] = "9";
  EXPECT_THAT(restored.load(inconsistent).message(), HasSubstr("are inconsistent"));
  nn::SafetensorsFile broken = file;
  broken.metadata["size"] = "four";
  broken.tensors.pop_back();
  EXPECT_THAT(restored.load(broken).message(), HasSubstr("metadata 'size' is 'four'"));
  broken.metadata["size"] = "5";
  EXPECT_THAT(restored.load(broken).message(), HasSubstr("missing tensor 'terminated'"));
  EXPECT_EQ(read_slots(restored, {2}).rewards, std::vector<float>{7.0f});
}

}  // namespace
}  // namespace tars::rl
