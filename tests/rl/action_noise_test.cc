// Exploration noise: Gaussian moments, Ornstein-Uhlenbeck mean reversion and stationary spread,
// per-copy reset, determinism by seed, bad options.
#include "tars/rl/action_noise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace tars::rl {
namespace {

ActionNoise make_noise(const ActionNoiseOptions& options) {
  auto noise = ActionNoise::make(options);
  EXPECT_TRUE(noise.ok()) << noise.status().to_string();
  return std::move(*noise);
}

TEST(ActionNoiseTest, ParsesRlZooNames) {
  EXPECT_EQ(*parse_action_noise_type("none"), ActionNoiseType::kNone);
  EXPECT_EQ(*parse_action_noise_type("normal"), ActionNoiseType::kNormal);
  EXPECT_EQ(*parse_action_noise_type("ornstein-uhlenbeck"), ActionNoiseType::kOrnsteinUhlenbeck);
  auto bad = parse_action_noise_type("gaussian");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ornstein-uhlenbeck"), std::string::npos);
  for (ActionNoiseType type :
       {ActionNoiseType::kNone, ActionNoiseType::kNormal, ActionNoiseType::kOrnsteinUhlenbeck}) {
    EXPECT_EQ(*parse_action_noise_type(action_noise_type_name(type)), type);
  }
}

TEST(ActionNoiseTest, RejectsBadOptions) {
  EXPECT_FALSE(ActionNoise::make({.n_envs = 0}).ok());
  EXPECT_FALSE(ActionNoise::make({.action_dim = 0}).ok());
  EXPECT_FALSE(ActionNoise::make({.sigma = -0.1}).ok());
  EXPECT_FALSE(ActionNoise::make({.sigma = std::nan("")}).ok());
  EXPECT_FALSE(ActionNoise::make({.theta = -1}).ok());
  EXPECT_FALSE(ActionNoise::make({.dt = 0}).ok());
  ActionNoise noise = make_noise({.type = ActionNoiseType::kNormal, .n_envs = 2, .action_dim = 3});
  core::Generator rng(0);
  std::vector<float> wrong(5);
  EXPECT_THROW(noise.sample(rng, wrong), std::invalid_argument);
  EXPECT_THROW(noise.reset(2), std::invalid_argument);
}

TEST(ActionNoiseTest, NoneIsZeroAndDrawsNothing) {
  ActionNoise noise = make_noise({.type = ActionNoiseType::kNone, .n_envs = 2, .action_dim = 2});
  core::Generator rng(5), untouched(5);
  std::vector<float> values(4, 1.0f);
  noise.sample(rng, values);
  EXPECT_EQ(values, std::vector<float>(4, 0.0f));
  EXPECT_EQ(rng.next_u64(), untouched.next_u64());
}

TEST(ActionNoiseTest, NormalHasTheRequestedMeanAndStd) {
  ActionNoise noise = make_noise(
      {.type = ActionNoiseType::kNormal, .n_envs = 2, .action_dim = 3, .mean = 0.5, .sigma = 0.3});
  core::Generator rng(1);
  std::vector<float> values(6);
  double sum = 0, squares = 0, lag_product = 0;
  float previous = 0;
  constexpr int kSteps = 50'000;
  for (int t = 0; t < kSteps; ++t) {
    noise.sample(rng, values);
    for (float v : values) {
      sum += v;
      squares += v * v;
    }
    lag_product += (values[0] - 0.5) * (previous - 0.5);
    previous = values[0];
  }
  const double n = 6.0 * kSteps;
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.5, 0.005);
  EXPECT_NEAR(std::sqrt(squares / n - mean * mean), 0.3, 0.005);
  // Independent draws: no correlation from one step to the next.
  EXPECT_NEAR(lag_product / kSteps / (0.3 * 0.3), 0.0, 0.03);
}

TEST(ActionNoiseTest, OrnsteinUhlenbeckRevertsToTheMean) {
  // Without diffusion the process is the deterministic decay x_n = μ (1 − (1 − θ dt)^n) from 0.
  ActionNoise noise = make_noise({.type = ActionNoiseType::kOrnsteinUhlenbeck,
                                  .n_envs = 1,
                                  .action_dim = 1,
                                  .mean = 2.0,
                                  .sigma = 0.0,
                                  .theta = 0.15,
                                  .dt = 1e-2});
  core::Generator rng(0);
  std::vector<float> value(1);
  for (int n = 1; n <= 5000; ++n) {
    noise.sample(rng, value);
    const double expected = 2.0 * (1.0 - std::pow(1.0 - 0.15 * 1e-2, n));
    ASSERT_NEAR(noise.state()[0], expected, 1e-9) << "step " << n;
    ASSERT_FLOAT_EQ(value[0], static_cast<float>(noise.state()[0]));
  }
  EXPECT_GT(value[0], 1.99f);  // after 5000 steps (7.5 time constants) it sits at μ
}

TEST(ActionNoiseTest, OrnsteinUhlenbeckIsCorrelatedWithTheStationarySpread) {
  // x_{n+1} = a x_n + b N(0, 1) with a = 1 − θ dt, b = σ √dt: stationary variance b² / (1 − a²),
  // lag-one autocorrelation a.
  constexpr double kSigma = 0.5, kTheta = 0.15, kDt = 1e-2;
  constexpr int kEnvs = 8;
  ActionNoise noise = make_noise({.type = ActionNoiseType::kOrnsteinUhlenbeck,
                                  .n_envs = kEnvs,
                                  .action_dim = 1,
                                  .sigma = kSigma,
                                  .theta = kTheta,
                                  .dt = kDt});
  core::Generator rng(2);
  std::vector<float> values(kEnvs), previous(kEnvs, 0.0f);
  // Burn in for 10 time constants, then measure.
  for (int t = 0; t < 7'000; ++t) noise.sample(rng, previous);
  double squares = 0, lag_product = 0, previous_squares = 0;
  constexpr int kSteps = 400'000;
  for (int t = 0; t < kSteps; ++t) {
    noise.sample(rng, values);
    for (int i = 0; i < kEnvs; ++i) {
      squares += values[i] * values[i];
      lag_product += values[i] * previous[i];
      previous_squares += previous[i] * previous[i];
    }
    previous = values;
  }
  const double a = 1.0 - kTheta * kDt;
  const double stationary_std = kSigma * std::sqrt(kDt / (1.0 - a * a));  // ≈ 0.913
  EXPECT_NEAR(std::sqrt(squares / (kEnvs * kSteps)), stationary_std, 0.05 * stationary_std);
  EXPECT_NEAR(lag_product / previous_squares, a, 1e-3);
}

TEST(ActionNoiseTest, ResetRestartsOneCopyOrAll) {
  ActionNoise noise = make_noise(
      {.type = ActionNoiseType::kOrnsteinUhlenbeck, .n_envs = 3, .action_dim = 2, .sigma = 1.0});
  core::Generator rng(3);
  std::vector<float> values(6);
  for (int t = 0; t < 50; ++t) noise.sample(rng, values);
  for (double x : noise.state()) EXPECT_NE(x, 0.0);

  noise.reset(1);
  EXPECT_NE(noise.state()[0], 0.0);
  EXPECT_NE(noise.state()[1], 0.0);
  EXPECT_EQ(noise.state()[2], 0.0);
  EXPECT_EQ(noise.state()[3], 0.0);
  EXPECT_NE(noise.state()[4], 0.0);
  EXPECT_NE(noise.state()[5], 0.0);

  // From 0 the next value is the diffusion term alone: σ √dt times the draw.
  core::Generator replay = rng;
  noise.sample(rng, values);
  replay.standard_normal();
  replay.standard_normal();
  EXPECT_FLOAT_EQ(values[2], static_cast<float>(std::sqrt(1e-2) * replay.standard_normal()));

  noise.reset();
  for (double x : noise.state()) EXPECT_EQ(x, 0.0);
}

TEST(ActionNoiseTest, SameSeedSameNoise) {
  for (ActionNoiseType type : {ActionNoiseType::kNormal, ActionNoiseType::kOrnsteinUhlenbeck}) {
    const ActionNoiseOptions options{.type = type, .n_envs = 2, .action_dim = 2, .sigma = 0.2};
    ActionNoise a = make_noise(options), b = make_noise(options), c = make_noise(options);
    core::Generator rng_a(7), rng_b(7), rng_c(8);
    std::vector<float> va(4), vb(4), vc(4);
    bool differs = false;
    for (int t = 0; t < 100; ++t) {
      a.sample(rng_a, va);
      b.sample(rng_b, vb);
      c.sample(rng_c, vc);
      ASSERT_EQ(va, vb);
      differs = differs || va != vc;
    }
    EXPECT_TRUE(differs) << action_noise_type_name(type);
  }
}

}  // namespace
}  // namespace tars::rl
