#include "tars/nn/categorical.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "gradient_check.h"

namespace tars::nn {
namespace {

using testing::expect_gradient_near;
using testing::numeric_gradient;
using testing::random_matrix;

TEST(CategoricalTest, LogSoftmaxIsStableForLargeLogits) {
  Categorical<float> dist;
  Eigen::MatrixXf logits(3, 2);
  logits << 1000, -1000, 0, -1000, -1000, -1000;
  dist.forward(logits);
  const Eigen::MatrixXf log_p = dist.log_probs();
  EXPECT_TRUE(log_p.allFinite());
  EXPECT_FLOAT_EQ(log_p(0, 0), 0.0f);
  EXPECT_FLOAT_EQ(dist.probs()(0, 0), 1.0f);
  for (Index a = 0; a < 3; ++a) EXPECT_NEAR(log_p(a, 1), -std::log(3.0f), 1e-6);
  EXPECT_NEAR(Eigen::MatrixXf(dist.probs()).colwise().sum()(1), 1.0f, 1e-6);
}

TEST(CategoricalTest, LogProbEntropyAndArgmaxByHand) {
  Categorical<double> dist;
  Eigen::MatrixXd logits(3, 2);
  logits << std::log(0.2), 0.0, std::log(0.5), 0.0, std::log(0.3), 0.0;
  dist.forward(logits);
  std::vector<double> log_prob(2);
  const std::vector<std::int64_t> actions = {1, 2};
  dist.log_prob(actions, log_prob);
  EXPECT_NEAR(log_prob[0], std::log(0.5), 1e-12);
  EXPECT_NEAR(log_prob[1], -std::log(3.0), 1e-12);
  std::vector<double> entropy(2);
  dist.entropy(entropy);
  EXPECT_NEAR(entropy[0], -(0.2 * std::log(0.2) + 0.5 * std::log(0.5) + 0.3 * std::log(0.3)),
              1e-12);
  EXPECT_NEAR(entropy[1], std::log(3.0), 1e-12);
  std::vector<std::int64_t> best(2);
  dist.argmax(best);
  EXPECT_EQ(best[0], 1);
  EXPECT_EQ(best[1], 0);  // first of equal values
}

TEST(CategoricalTest, BackwardMatchesFiniteDifferences) {
  core::Generator generator(21);
  Eigen::MatrixXd logits = random_matrix(4, 5, generator, 2.0);
  const std::vector<std::int64_t> actions = {0, 3, 1, 1, 2};
  const std::vector<double> weights = {0.5, -1.0, 2.0, 0.0, -0.3};
  for (double entropy_coef : {0.0, 0.7}) {
    Categorical<double> dist;
    auto objective = [&] {
      Categorical<double> d;
      d.forward(logits);
      std::vector<double> lp(5);
      std::vector<double> h(5);
      d.log_prob(actions, lp);
      d.entropy(h);
      double total = 0;
      for (int i = 0; i < 5; ++i) total += weights[i] * lp[i] + entropy_coef * h[i];
      return total;
    };
    dist.forward(logits);
    const Eigen::MatrixXd grad = dist.backward(actions, weights, entropy_coef);
    expect_gradient_near(grad, numeric_gradient(objective, logits),
                         "entropy_coef " + std::to_string(entropy_coef));
  }
}

TEST(CategoricalTest, EntropyGradientAlone) {
  core::Generator generator(22);
  Eigen::MatrixXd logits = random_matrix(3, 2, generator);
  const std::vector<std::int64_t> actions = {0, 0};
  const std::vector<double> zero = {0.0, 0.0};
  auto entropy_sum = [&] {
    Categorical<double> d;
    d.forward(logits);
    std::vector<double> h(2);
    d.entropy(h);
    return h[0] + h[1];
  };
  Categorical<double> dist;
  dist.forward(logits);
  const Eigen::MatrixXd grad = dist.backward(actions, zero, 1.0);
  expect_gradient_near(grad, numeric_gradient(entropy_sum, logits), "entropy");
}

TEST(CategoricalTest, SamplesFollowTheProbabilities) {
  Categorical<float> dist;
  Eigen::MatrixXf logits(3, 1);
  logits << std::log(0.1f), std::log(0.6f), std::log(0.3f);
  dist.forward(logits);
  core::Generator generator(3);
  std::vector<int> counts(3, 0);
  std::vector<std::int64_t> action(1);
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) {
    dist.sample(generator, action);
    ++counts[action[0]];
  }
  // Three standard deviations of a binomial proportion with n = 20000 are below 0.011.
  EXPECT_NEAR(counts[0] / double(kDraws), 0.1, 0.011);
  EXPECT_NEAR(counts[1] / double(kDraws), 0.6, 0.011);
  EXPECT_NEAR(counts[2] / double(kDraws), 0.3, 0.011);
}

TEST(CategoricalTest, SamplingIsSeededAndSkipsImpossibleActions) {
  Categorical<double> dist;
  Eigen::MatrixXd logits(3, 8);
  logits.setZero();
  logits.row(2).setConstant(-1e9);  // probability exp(-1e9) == 0
  dist.forward(logits);
  core::Generator g1(9);
  core::Generator g2(9);
  std::vector<std::int64_t> a(8);
  std::vector<std::int64_t> b(8);
  for (int round = 0; round < 50; ++round) {
    dist.sample(g1, a);
    dist.sample(g2, b);
    EXPECT_EQ(a, b);
    for (auto x : a) EXPECT_LT(x, 2);
  }
}

TEST(CategoricalTest, RejectsBadActionsAndSizes) {
  Categorical<float> dist;
  dist.forward(Eigen::MatrixXf::Zero(2, 2));
  std::vector<float> out(2);
  const std::vector<std::int64_t> bad = {0, 2};
  EXPECT_THROW(dist.log_prob(bad, out), std::out_of_range);
  const std::vector<std::int64_t> negative = {-1, 0};
  EXPECT_THROW(dist.log_prob(negative, out), std::out_of_range);
  std::vector<float> short_out(1);
  const std::vector<std::int64_t> ok = {0, 1};
  EXPECT_THROW(dist.log_prob(ok, short_out), std::invalid_argument);
}

}  // namespace
}  // namespace tars::nn
