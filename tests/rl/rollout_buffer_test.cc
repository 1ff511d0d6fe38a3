#include "tars/rl/rollout_buffer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "tars/core/rng.h"

namespace tars::rl {
namespace {

using ::testing::HasSubstr;

RolloutBuffer make_buffer(int n_steps, int n_envs, double gamma, double gae_lambda) {
  auto made = RolloutBuffer::make({.n_steps = n_steps,
                                   .n_envs = n_envs,
                                   .observation_size = 1,
                                   .discrete_actions = true,
                                   .action_size = 1,
                                   .gamma = gamma,
                                   .gae_lambda = gae_lambda});
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return std::move(made).value();
}

// One step of two envs with observations equal to `step * 10 + env`.
struct TwoEnvStep {
  std::vector<double> rewards;
  std::vector<std::uint8_t> episode_starts;
  std::vector<float> values;
  std::vector<std::uint8_t> terminated;
  std::vector<std::uint8_t> truncated;
  std::vector<float> final_values;
};

core::Status add_step(RolloutBuffer& buffer, int step, const TwoEnvStep& data) {
  const std::vector<float> observations = {static_cast<float>(step * 10),
                                           static_cast<float>(step * 10 + 1)};
  const std::vector<std::int64_t> actions = {step, step + 100};
  const std::vector<float> log_probs = {-0.5f * static_cast<float>(step), -1.0f};
  return buffer.add({.observations = observations,
                     .discrete_actions = actions,
                     .continuous_actions = {},
                     .rewards = data.rewards,
                     .episode_starts = data.episode_starts,
                     .values = data.values,
                     .log_probs = log_probs,
                     .terminated = data.terminated,
                     .truncated = data.truncated,
                     .final_values = data.final_values});
}

// γ = 0.9, λ = 0.8 (γλ = 0.72), 3 steps x 2 envs.
//   env 0: V = 1, 2, 3; rewards 1, 1, 1; terminated at step 1, so step 2 starts an episode;
//          after the rollout V(next obs) = 0.5 and the episode goes on.
//   env 1: V = 0.5, 1.5, -1; rewards 2, 0, 1; truncated at step 0 with V(final obs) = 2, so
//          step 1 starts an episode; at step 2 terminated and truncated at once (terminated
//          wins: no bootstrap, its final value 100 must be ignored); last value 7 is ignored.
// Hand computation, backwards, with m = next_non_terminal:
//   env 0, t=2: m = 1 - last_done = 1, δ = 1 + 0.9·0.5 - 3 = -1.55, A = -1.55, R = 1.45
//          t=1: m = 1 - start[2] = 0, δ = 1 - 2 = -1, A = -1, R = 1
//          t=0: m = 1 - start[1] = 1, δ = 1 + 0.9·2 - 1 = 1.8, A = 1.8 + 0.72·(-1) = 1.08,
//               R = 2.08
//   env 1, t=0: stored reward 2 + 0.9·2 = 3.8 (the truncation bootstrap)
//          t=2: m = 1 - last_done = 0, δ = 1 - (-1) = 2, A = 2, R = 1
//          t=1: m = 1 - start[2] = 1, δ = 0 + 0.9·(-1) - 1.5 = -2.4, A = -2.4 + 0.72·2 = -0.96,
//               R = 0.54
//          t=0: m = 1 - start[1] = 0, δ = 3.8 - 0.5 = 3.3, A = 3.3, R = 3.8
TEST(RolloutBufferTest, GaeMatchesAHandComputedCaseWithTerminationAndTruncation) {
  RolloutBuffer buffer = make_buffer(3, 2, 0.9, 0.8);
  ASSERT_TRUE(add_step(buffer, 0,
                       {.rewards = {1.0, 2.0},
                        .episode_starts = {1, 1},
                        .values = {1.0f, 0.5f},
                        .terminated = {0, 0},
                        .truncated = {0, 1},
                        .final_values = {0.0f, 2.0f}})
                  .ok());
  ASSERT_TRUE(add_step(buffer, 1,
                       {.rewards = {1.0, 0.0},
                        .episode_starts = {0, 1},
                        .values = {2.0f, 1.5f},
                        .terminated = {1, 0},
                        .truncated = {0, 0},
                        .final_values = {}})
                  .ok());
  ASSERT_TRUE(add_step(buffer, 2,
                       {.rewards = {1.0, 1.0},
                        .episode_starts = {1, 0},
                        .values = {3.0f, -1.0f},
                        .terminated = {0, 1},
                        .truncated = {0, 1},
                        .final_values = {0.0f, 100.0f}})
                  .ok());
  ASSERT_TRUE(buffer.full());
  const std::vector<float> last_values = {0.5f, 7.0f};
  const std::vector<std::uint8_t> last_dones = {0, 1};
  ASSERT_TRUE(buffer.compute_returns_and_advantages(last_values, last_dones).ok());
  // Flat index step * 2 + env.
  const std::vector<float> rewards = {1.0f, 3.8f, 1.0f, 0.0f, 1.0f, 1.0f};
  const std::vector<float> advantages = {1.08f, 3.3f, -1.0f, -0.96f, -1.55f, 2.0f};
  const std::vector<float> returns = {2.08f, 3.8f, 1.0f, 0.54f, 1.45f, 1.0f};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_NEAR(buffer.rewards()[i], rewards[i], 1e-6) << i;
    EXPECT_NEAR(buffer.advantages()[i], advantages[i], 1e-5) << i;
    EXPECT_NEAR(buffer.returns()[i], returns[i], 1e-5) << i;
  }
}

// λ = 1, γ = 0.5 and no episode ends: A_t + V_t is the discounted return bootstrapped with the
// last value, 1 + 0.5·2 + 0.25·4 + 0.125·8 = 4 for step 0 (V(after) = 8).
TEST(RolloutBufferTest, LambdaOneGivesDiscountedMonteCarloReturns) {
  auto made = RolloutBuffer::make(
      {.n_steps = 3, .n_envs = 1, .observation_size = 1, .gamma = 0.5, .gae_lambda = 1.0});
  ASSERT_TRUE(made.ok());
  RolloutBuffer& buffer = *made;
  const std::vector<double> rewards = {1.0, 2.0, 4.0};
  for (int step = 0; step < 3; ++step) {
    const std::vector<float> observation = {0.0f};
    const std::vector<std::int64_t> action = {0};
    const std::vector<double> reward = {rewards[step]};
    const std::vector<std::uint8_t> start = {static_cast<std::uint8_t>(step == 0)};
    const std::vector<float> value = {static_cast<float>(10 * step)};  // arbitrary
    const std::vector<float> log_prob = {0.0f};
    ASSERT_TRUE(buffer
                    .add({.observations = observation,
                          .discrete_actions = action,
                          .continuous_actions = {},
                          .rewards = reward,
                          .episode_starts = start,
                          .values = value,
                          .log_probs = log_prob,
                          .terminated = {},
                          .truncated = {},
                          .final_values = {}})
                    .ok());
  }
  const std::vector<float> last_value = {8.0f};
  const std::vector<std::uint8_t> last_done = {0};
  ASSERT_TRUE(buffer.compute_returns_and_advantages(last_value, last_done).ok());
  // Step 2: 4 + 0.5·8 = 8; step 1: 2 + 0.5·8 = 6; step 0: 1 + 0.5·6 = 4.
  EXPECT_FLOAT_EQ(buffer.returns()[2], 8.0f);
  EXPECT_FLOAT_EQ(buffer.returns()[1], 6.0f);
  EXPECT_FLOAT_EQ(buffer.returns()[0], 4.0f);
}

// Fills a 4 x 3 buffer whose sample i has observation i, action i, value i, advantage i - 1.
RolloutBuffer make_filled(int n_steps = 4, int n_envs = 3) {
  RolloutBuffer buffer = make_buffer(n_steps, n_envs, 1.0, 1.0);
  const auto n = static_cast<std::size_t>(n_envs);
  for (int step = 0; step < n_steps; ++step) {
    std::vector<float> observations(n);
    std::vector<std::int64_t> actions(n);
    std::vector<float> values(n);
    for (std::size_t env = 0; env < n; ++env) {
      const std::size_t i = static_cast<std::size_t>(step) * n + env;
      observations[env] = static_cast<float>(i);
      actions[env] = static_cast<std::int64_t>(i);
      values[env] = static_cast<float>(i);
    }
    // Every episode lasts one step (all starts and last dones set), so m = 0 and A = r - V:
    // reward 2i - 1 gives A = i - 1 and R = 2i - 1.
    std::vector<double> rewards(n);
    for (std::size_t env = 0; env < n; ++env) rewards[env] = 2.0 * values[env] - 1.0;
    const std::vector<std::uint8_t> starts(n, 1);
    const std::vector<float> log_probs(n, -0.25f);
    EXPECT_TRUE(buffer
                    .add({.observations = observations,
                          .discrete_actions = actions,
                          .continuous_actions = {},
                          .rewards = rewards,
                          .episode_starts = starts,
                          .values = values,
                          .log_probs = log_probs,
                          .terminated = {},
                          .truncated = {},
                          .final_values = {}})
                    .ok());
  }
  const std::vector<float> last_values(n, 0.0f);
  const std::vector<std::uint8_t> last_dones(n, 1);
  EXPECT_TRUE(buffer.compute_returns_and_advantages(last_values, last_dones).ok());
  return buffer;
}

TEST(RolloutBufferTest, MinibatchesCoverAShuffledPermutation) {
  RolloutBuffer buffer = make_filled();
  core::Generator rng(42);
  auto minibatches = buffer.minibatches(5, rng);
  ASSERT_TRUE(minibatches.ok());
  ASSERT_EQ(minibatches->size(), 3u);  // 5 + 5 + 2
  std::vector<std::int64_t> order;
  std::vector<std::size_t> sizes;
  for (const RolloutMinibatch& batch : *minibatches) {
    sizes.push_back(batch.size());
    for (std::size_t row = 0; row < batch.size(); ++row) {
      const std::int64_t i = batch.indices[row];
      order.push_back(i);
      const auto x = static_cast<float>(i);
      EXPECT_EQ(batch.observations[row], x);
      EXPECT_EQ(batch.discrete_actions[row], i);
      EXPECT_EQ(batch.values[row], x);
      EXPECT_EQ(batch.log_probs[row], -0.25f);
      EXPECT_EQ(batch.advantages[row], x - 1.0f);
      EXPECT_EQ(batch.returns[row], 2.0f * x - 1.0f);
    }
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{5, 5, 2}));
  std::vector<std::int64_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> all(12);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(sorted, all);
  EXPECT_NE(order, all);  // shuffled (identity has probability 1 / 12!)

  // A second epoch draws a new permutation; the same seed replays the first one.
  std::vector<std::int64_t> second;
  auto again = buffer.minibatches(5, rng);
  ASSERT_TRUE(again.ok());
  for (const RolloutMinibatch& batch : *again) {
    second.insert(second.end(), batch.indices.begin(), batch.indices.end());
  }
  EXPECT_NE(second, order);
  core::Generator replay(42);
  std::vector<std::int64_t> replayed;
  auto first_again = buffer.minibatches(5, replay);
  ASSERT_TRUE(first_again.ok());
  for (const RolloutMinibatch& batch : *first_again) {
    replayed.insert(replayed.end(), batch.indices.begin(), batch.indices.end());
  }
  EXPECT_EQ(replayed, order);
}

TEST(RolloutBufferTest, MinibatchStorageIsReused) {
  RolloutBuffer buffer = make_filled();
  core::Generator rng(1);
  const float* observations = nullptr;
  for (int epoch = 0; epoch < 3; ++epoch) {
    auto minibatches = buffer.minibatches(4, rng);
    ASSERT_TRUE(minibatches.ok());
    for (const RolloutMinibatch& batch : *minibatches) {
      if (observations == nullptr) observations = batch.observations.data();
      EXPECT_EQ(batch.observations.data(), observations);
    }
  }
}

TEST(RolloutBufferTest, BatchSizeZeroOrLargerThanTheRolloutIsOneMinibatch) {
  RolloutBuffer buffer = make_filled();
  core::Generator rng(0);
  for (const std::size_t batch_size : {std::size_t{0}, std::size_t{12}, std::size_t{100}}) {
    auto minibatches = buffer.minibatches(batch_size, rng);
    ASSERT_TRUE(minibatches.ok());
    ASSERT_EQ(minibatches->size(), 1u);
    EXPECT_EQ((*minibatches->begin()).size(), 12u);
  }
}

TEST(RolloutBufferTest, EnforcesTheRolloutLifecycle) {
  RolloutBuffer buffer = make_buffer(1, 2, 0.99, 0.95);
  core::Generator rng(0);
  EXPECT_EQ(buffer.minibatches(2, rng).status().code(), core::ErrorCode::kFailedPrecondition);
  const std::vector<float> last_values = {0.0f, 0.0f};
  const std::vector<std::uint8_t> last_dones = {0, 0};
  EXPECT_THAT(buffer.compute_returns_and_advantages(last_values, last_dones).message(),
              HasSubstr("after 0 of 1 steps"));
  const TwoEnvStep data = {.rewards = {1.0, 1.0},
                           .episode_starts = {1, 1},
                           .values = {0.0f, 0.0f},
                           .terminated = {},
                           .truncated = {},
                           .final_values = {}};
  ASSERT_TRUE(add_step(buffer, 0, data).ok());
  EXPECT_THAT(add_step(buffer, 1, data).message(), HasSubstr("call reset()"));
  ASSERT_TRUE(buffer.compute_returns_and_advantages(last_values, last_dones).ok());
  ASSERT_TRUE(buffer.minibatches(2, rng).ok());
  buffer.reset();
  EXPECT_EQ(buffer.steps(), 0);
  EXPECT_EQ(buffer.minibatches(2, rng).status().code(), core::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(add_step(buffer, 0, data).ok());
}

TEST(RolloutBufferTest, RejectsMismatchedInputs) {
  RolloutBuffer buffer = make_buffer(2, 2, 0.99, 0.95);
  TwoEnvStep data = {.rewards = {1.0},
                     .episode_starts = {1, 1},
                     .values = {0.0f, 0.0f},
                     .terminated = {},
                     .truncated = {},
                     .final_values = {}};
  EXPECT_THAT(add_step(buffer, 0, data).message(), HasSubstr("rewards has 1 values, expected 2"));
  data.rewards = {1.0, 1.0};
  data.terminated = {0, 0};
  data.truncated = {0, 1};
  EXPECT_THAT(add_step(buffer, 0, data).message(),
              HasSubstr("env 1 was truncated, so final_values needs 2 values"));
  data.final_values = {0.0f, std::numeric_limits<float>::infinity()};
  EXPECT_THAT(add_step(buffer, 0, data).message(), HasSubstr("final_values[1] is inf"));
  EXPECT_EQ(buffer.steps(), 0);  // nothing was stored
  const std::vector<float> last_values = {0.0f};
  const std::vector<std::uint8_t> last_dones = {0, 0};
  data.final_values = {0.0f, 1.0f};
  ASSERT_TRUE(add_step(buffer, 0, data).ok());
  ASSERT_TRUE(add_step(buffer, 1, data).ok());
  EXPECT_THAT(buffer.compute_returns_and_advantages(last_values, last_dones).message(),
              HasSubstr("last_values has 1 values, expected 2"));
}

TEST(RolloutBufferTest, RejectsBadOptionsAndAbsurdSizes) {
  EXPECT_THAT(
      RolloutBuffer::make({.n_steps = 0, .n_envs = 1, .observation_size = 1}).status().message(),
      HasSubstr("n_steps must be > 0"));
  EXPECT_THAT(RolloutBuffer::make({.n_steps = 1, .n_envs = 1, .observation_size = 1, .gamma = 1.5})
                  .status()
                  .message(),
              HasSubstr("gamma must be in [0, 1]"));
  auto absurd = RolloutBuffer::make({.n_steps = 2'000'000'000,
                                     .n_envs = 1'000'000,
                                     .observation_size = 8,
                                     .discrete_actions = true,
                                     .action_size = 1,
                                     .gamma = 0.99,
                                     .gae_lambda = 0.95});
  ASSERT_FALSE(absurd.ok());
  EXPECT_EQ(absurd.status().code(), core::ErrorCode::kOutOfRange);
  EXPECT_THAT(absurd.status().message(),
              HasSubstr("rollout buffer (2000000000 steps x 1000000 envs of 8 observation floats) "
                        "needs"));
}

}  // namespace
}  // namespace tars::rl
