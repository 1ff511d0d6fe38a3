#include "tars/rl/prioritized_replay_buffer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "tars/core/rng.h"

namespace tars::rl {
namespace {

using ::testing::HasSubstr;

PrioritizedReplayBuffer make_buffer(std::size_t capacity, PrioritizedReplayOptions options) {
  auto made = PrioritizedReplayBuffer::make({.capacity = capacity, .observation_size = 1}, options);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return std::move(made).value();
}

// Transition i: observation i, action 0, reward i.
void add_numbered(PrioritizedReplayBuffer& buffer, int i) {
  const std::vector<float> observation = {static_cast<float>(i)};
  ASSERT_TRUE(buffer.add(observation, std::int64_t{0}, i, observation, false).ok());
}

TEST(PrioritizedReplayBufferTest, NewTransitionsGetTheMaximumPriority) {
  PrioritizedReplayBuffer buffer = make_buffer(8, {.alpha = 0.5, .epsilon = 0.01});
  for (int i = 0; i < 3; ++i) add_numbered(buffer, i);
  EXPECT_EQ(buffer.max_priority(), 1.0);
  for (std::size_t slot = 0; slot < 3; ++slot) EXPECT_EQ(buffer.tree().get(slot), 1.0);
  // |−3.99| + 0.01 = 4 becomes the maximum; 0.19 + 0.01 = 0.2 does not.
  const std::vector<std::int64_t> indices = {0, 1};
  const std::vector<float> td_errors = {-3.99f, 0.19f};
  ASSERT_TRUE(buffer.update_priorities(indices, td_errors).ok());
  EXPECT_NEAR(buffer.max_priority(), 4.0, 1e-6);
  EXPECT_NEAR(buffer.tree().get(0), 2.0, 1e-6);             // 4^0.5
  EXPECT_NEAR(buffer.tree().get(1), std::sqrt(0.2), 1e-6);  // 0.2^0.5
  EXPECT_EQ(buffer.tree().get(2), 1.0);                     // untouched
  add_numbered(buffer, 3);
  EXPECT_NEAR(buffer.tree().get(3), 2.0, 1e-6);  // max priority 4, stored as 4^α
}

TEST(PrioritizedReplayBufferTest, OverwrittenSlotsGetTheMaximumPriorityAgain) {
  PrioritizedReplayBuffer buffer = make_buffer(2, {.alpha = 1.0});
  add_numbered(buffer, 0);
  add_numbered(buffer, 1);
  const std::vector<std::int64_t> indices = {0, 1};
  const std::vector<float> td_errors = {0.5f, 2.0f};
  ASSERT_TRUE(buffer.update_priorities(indices, td_errors).ok());
  add_numbered(buffer, 2);  // replaces slot 0
  EXPECT_NEAR(buffer.tree().get(0), 2.0, 1e-5);
  EXPECT_NEAR(buffer.tree().total(), 4.0, 1e-5);
}

TEST(PrioritizedReplayBufferTest, BetaIsAnnealedLinearlyToOne) {
  PrioritizedReplayBuffer buffer =
      make_buffer(4, {.alpha = 0.6, .beta0 = 0.4, .beta_annealing_steps = 1000});
  EXPECT_DOUBLE_EQ(buffer.beta(-5), 0.4);
  EXPECT_DOUBLE_EQ(buffer.beta(0), 0.4);
  EXPECT_DOUBLE_EQ(buffer.beta(250), 0.55);
  EXPECT_DOUBLE_EQ(buffer.beta(500), 0.7);
  EXPECT_DOUBLE_EQ(buffer.beta(1000), 1.0);
  EXPECT_DOUBLE_EQ(buffer.beta(100000), 1.0);
  PrioritizedReplayBuffer no_annealing = make_buffer(4, {.beta0 = 0.4, .beta_annealing_steps = 0});
  EXPECT_DOUBLE_EQ(no_annealing.beta(0), 1.0);
}

TEST(PrioritizedReplayBufferTest, ImportanceWeightsFollowThePaper) {
  constexpr double kAlpha = 0.7;
  constexpr double kEpsilon = 1e-3;
  PrioritizedReplayBuffer buffer = make_buffer(
      8, {.alpha = kAlpha, .beta0 = 0.5, .beta_annealing_steps = 100, .epsilon = kEpsilon});
  for (int i = 0; i < 4; ++i) add_numbered(buffer, i);
  const std::vector<std::int64_t> indices = {0, 1, 2, 3};
  const std::vector<float> td_errors = {1.0f, -2.0f, 3.0f, 0.5f};
  ASSERT_TRUE(buffer.update_priorities(indices, td_errors).ok());
  // P(i) = p_i^α / Σ p_k^α with p_i = |δ_i| + ε over the N = 4 stored transitions.
  std::vector<double> probability(4);
  double sum = 0.0;
  for (int i = 0; i < 4; ++i) {
    probability[i] = std::pow(std::abs(td_errors[i]) + kEpsilon, kAlpha);
    sum += probability[i];
  }
  for (double& p : probability) p /= sum;
  core::Generator rng(3);
  ReplayBatch batch;
  for (const std::int64_t step : {std::int64_t{0}, std::int64_t{50}, std::int64_t{100}}) {
    const double beta = 0.5 + 0.5 * static_cast<double>(step) / 100.0;
    // w_i = (N P(i))^-β / max_j (N P(j))^-β.
    double max_weight = 0.0;
    for (const double p : probability) max_weight = std::max(max_weight, std::pow(4 * p, -beta));
    ASSERT_TRUE(buffer.sample(64, step, rng, batch).ok());
    bool saw_lowest = false;
    for (std::size_t row = 0; row < batch.size(); ++row) {
      const std::int64_t slot = batch.indices[row];
      ASSERT_GE(slot, 0);
      ASSERT_LT(slot, 4);
      const double expected = std::pow(4 * probability[slot], -beta) / max_weight;
      EXPECT_NEAR(batch.weights[row], expected, 1e-6) << "step " << step << " slot " << slot;
      EXPECT_LE(batch.weights[row], 1.0f);
      EXPECT_EQ(batch.rewards[row], static_cast<float>(slot));
      saw_lowest = saw_lowest || slot == 3;
    }
    // Slot 3 has the lowest priority, hence the largest weight: exactly 1.
    ASSERT_TRUE(saw_lowest);
  }
}

TEST(PrioritizedReplayBufferTest, SamplesInProportionToPriorityToTheAlpha) {
  constexpr double kAlpha = 0.5;
  PrioritizedReplayBuffer buffer = make_buffer(16, {.alpha = kAlpha, .epsilon = 1e-9});
  for (int i = 0; i < 5; ++i) add_numbered(buffer, i);  // slots 5..15 stay empty
  const std::vector<std::int64_t> indices = {0, 1, 2, 3, 4};
  const std::vector<float> td_errors = {1.0f, 4.0f, 9.0f, 16.0f, 0.25f};
  ASSERT_TRUE(buffer.update_priorities(indices, td_errors).ok());
  // p^0.5 = 1, 2, 3, 4, 0.5: probabilities 1/10.5, 2/10.5, ...
  const std::vector<double> weights = {1.0, 2.0, 3.0, 4.0, 0.5};
  core::Generator rng(2024);
  ReplayBatch batch;
  std::vector<int> counts(5, 0);
  for (int round = 0; round < 5000; ++round) {
    ASSERT_TRUE(buffer.sample(32, round, rng, batch).ok());
    for (const std::int64_t slot : batch.indices) {
      ASSERT_GE(slot, 0);
      ASSERT_LT(slot, 5);
      ++counts[slot];
    }
  }
  const auto chi_square = [&counts](const std::vector<double>& w) {
    double total = 0.0;
    for (const double x : w) total += x;
    double statistic = 0.0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const double expected = 160000.0 * w[i] / total;
      statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    return statistic;
  };
  // 4 degrees of freedom: P(chi2 > 18.47) = 0.001. Stratified sampling only lowers the
  // statistic, so wrong proportions are what can push it over.
  EXPECT_LT(chi_square(weights), 18.47);
  // Power: proportional to p instead of p^α, or uniform, is rejected.
  EXPECT_GT(chi_square({1.0, 4.0, 9.0, 16.0, 0.25}), 1000.0);
  EXPECT_GT(chi_square({1.0, 1.0, 1.0, 1.0, 1.0}), 1000.0);
}

TEST(PrioritizedReplayBufferTest, AlphaZeroIsUniformWithUnitWeights) {
  PrioritizedReplayBuffer buffer = make_buffer(4, {.alpha = 0.0, .beta0 = 0.4});
  for (int i = 0; i < 4; ++i) add_numbered(buffer, i);
  const std::vector<std::int64_t> indices = {0, 1};
  const std::vector<float> td_errors = {100.0f, 0.0f};
  ASSERT_TRUE(buffer.update_priorities(indices, td_errors).ok());
  core::Generator rng(5);
  ReplayBatch batch;
  ASSERT_TRUE(buffer.sample(16, 0, rng, batch).ok());
  for (const float weight : batch.weights) EXPECT_FLOAT_EQ(weight, 1.0f);
}

TEST(PrioritizedReplayBufferTest, BadUpdatesChangeNothing) {
  PrioritizedReplayBuffer buffer = make_buffer(8, {.alpha = 1.0});
  for (int i = 0; i < 3; ++i) add_numbered(buffer, i);
  const double total = buffer.tree().total();
  const std::vector<std::int64_t> out_of_range = {0, 3};  // slot 3 is not stored yet
  const std::vector<float> td_errors = {5.0f, 5.0f};
  EXPECT_THAT(buffer.update_priorities(out_of_range, td_errors).message(),
              HasSubstr("index 3 is not a stored slot (size 3)"));
  const std::vector<std::int64_t> indices = {0, 1};
  const std::vector<float> nan = {5.0f, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_THAT(buffer.update_priorities(indices, nan).message(), HasSubstr("td_errors[1] is nan"));
  const std::vector<float> one = {5.0f};
  EXPECT_THAT(buffer.update_priorities(indices, one).message(),
              HasSubstr("2 indices but 1 td_errors"));
  EXPECT_EQ(buffer.tree().total(), total);
  EXPECT_EQ(buffer.max_priority(), 1.0);
}

TEST(PrioritizedReplayBufferTest, RejectsBadOptionsAndAbsurdCapacities) {
  const ReplayBufferOptions small = {.capacity = 4, .observation_size = 1};
  EXPECT_THAT(PrioritizedReplayBuffer::make(small, {.alpha = -1.0}).status().message(),
              HasSubstr("alpha must be finite and >= 0"));
  EXPECT_THAT(PrioritizedReplayBuffer::make(small, {.beta0 = 1.5}).status().message(),
              HasSubstr("beta0 must be in [0, 1]"));
  EXPECT_THAT(PrioritizedReplayBuffer::make(small, {.epsilon = 0.0}).status().message(),
              HasSubstr("epsilon must be finite and > 0"));
  EXPECT_THAT(PrioritizedReplayBuffer::make(small, {.beta_annealing_steps = -1}).status().message(),
              HasSubstr("beta_annealing_steps must be >= 0"));
  const auto absurd =
      PrioritizedReplayBuffer::make({.capacity = std::size_t{1} << 44, .observation_size = 4}, {});
  ASSERT_FALSE(absurd.ok());
  EXPECT_EQ(absurd.status().code(), core::ErrorCode::kOutOfRange);
  EXPECT_THAT(absurd.status().message(),
              HasSubstr("prioritized replay buffer (capacity 17592186044416 transitions) needs"));
  // Sizes that overflow 64 bits are rejected too, not wrapped around.
  const auto overflowing =
      PrioritizedReplayBuffer::make({.capacity = SIZE_MAX, .observation_size = 1}, {});
  ASSERT_FALSE(overflowing.ok());
  EXPECT_THAT(overflowing.status().message(), HasSubstr("needs 16777216.00 TiB"));
}

TEST(PrioritizedReplayBufferTest, SampleNeedsTransitions) {
  PrioritizedReplayBuffer buffer = make_buffer(4, {});
  core::Generator rng(0);
  ReplayBatch batch;
  EXPECT_EQ(buffer.sample(4, 0, rng, batch).code(), core::ErrorCode::kFailedPrecondition);
}

// save() / load() restore the priorities (the sum tree), the largest priority and the storage,
// so that sampling continues identically.
TEST(PrioritizedReplayBufferTest, SaveAndLoadRestorePrioritiesExactly) {
  const PrioritizedReplayOptions options{.alpha = 0.6, .beta0 = 0.4, .beta_annealing_steps = 100};
  PrioritizedReplayBuffer buffer = make_buffer(8, options);
  for (int i = 0; i < 6; ++i) add_numbered(buffer, i);
  ASSERT_TRUE(buffer
                  .update_priorities(std::vector<std::int64_t>{0, 3, 5},
                                     std::vector<float>{2.5f, 0.1f, -4.0f})
                  .ok());
  nn::SafetensorsFile file;
  buffer.save(file);
  PrioritizedReplayBuffer restored = make_buffer(8, options);
  ASSERT_TRUE(restored.load(file).ok());
  EXPECT_EQ(restored.max_priority(), buffer.max_priority());
  EXPECT_EQ(restored.tree().total(), buffer.tree().total());
  EXPECT_EQ(restored.tree().min(), buffer.tree().min());
  core::Generator a(5), b(5);
  ReplayBatch from_original, from_restored;
  ASSERT_TRUE(buffer.sample(32, 50, a, from_original).ok());
  ASSERT_TRUE(restored.sample(32, 50, b, from_restored).ok());
  EXPECT_EQ(from_original.indices, from_restored.indices);
  EXPECT_EQ(from_original.weights, from_restored.weights);

  nn::SafetensorsFile negative = file;
  std::get<std::vector<double>>(negative.tensors.back().data)[1] = -1.0;
  EXPECT_THAT(restored.load(negative).message(), HasSubstr("tensor 'priorities' holds -1"));
}

}  // namespace
}  // namespace tars::rl
