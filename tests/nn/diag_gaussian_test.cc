#include "tars/nn/diag_gaussian.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "gradient_check.h"

namespace tars::nn {
namespace {

using testing::expect_gradient_near;
using testing::numeric_gradient;
using testing::random_matrix;

double normal_log_pdf(double x, double mean, double std) {
  const double z = (x - mean) / std;
  return -0.5 * z * z - std::log(std) - 0.5 * std::log(2 * std::numbers::pi);
}

TEST(DiagGaussianTest, LogProbAndEntropyByHand) {
  DiagGaussian<double> dist(2);
  dist.log_std() << std::log(0.5), std::log(2.0);
  Eigen::MatrixXd mean(2, 2);
  mean << 0.0, 1.0, 1.0, -2.0;
  Eigen::MatrixXd actions(2, 2);
  actions << 0.3, 1.0, -1.0, 4.0;
  dist.forward(mean);
  std::vector<double> log_prob(2);
  dist.log_prob(actions, log_prob);
  EXPECT_NEAR(log_prob[0], normal_log_pdf(0.3, 0.0, 0.5) + normal_log_pdf(-1.0, 1.0, 2.0), 1e-12);
  EXPECT_NEAR(log_prob[1], normal_log_pdf(1.0, 1.0, 0.5) + normal_log_pdf(4.0, -2.0, 2.0), 1e-12);
  const double h = 0.5 + 0.5 * std::log(2 * std::numbers::pi);
  EXPECT_NEAR(dist.entropy(), 2 * h + std::log(0.5) + std::log(2.0), 1e-12);
}

TEST(DiagGaussianTest, BackwardMatchesFiniteDifferences) {
  core::Generator generator(31);
  DiagGaussian<double> dist(3, -0.5);
  dist.log_std() << -0.5, 0.2, 0.0;
  Eigen::MatrixXd mean = random_matrix(3, 4, generator);
  const Eigen::MatrixXd actions = random_matrix(3, 4, generator, 1.5);
  const std::vector<double> weights = {1.0, -0.5, 0.25, 2.0};
  for (double entropy_coef : {0.0, 0.3}) {
    auto objective = [&] {
      dist.forward(mean);
      std::vector<double> lp(4);
      dist.log_prob(actions, lp);
      double total = 4 * entropy_coef * dist.entropy();
      for (int i = 0; i < 4; ++i) total += weights[i] * lp[i];
      return total;
    };
    dist.zero_grad();
    dist.forward(mean);
    const Eigen::MatrixXd grad_mean = dist.backward(actions, weights, entropy_coef);
    const Eigen::VectorXd grad_log_std = dist.log_std_grad();
    const std::string label = "entropy_coef " + std::to_string(entropy_coef);
    expect_gradient_near(grad_mean, numeric_gradient(objective, mean), label + " mean");
    expect_gradient_near(grad_log_std, numeric_gradient(objective, dist.log_std()),
                         label + " log_std");
  }
}

TEST(DiagGaussianTest, SamplesHaveTheRightMoments) {
  DiagGaussian<double> dist(2);
  dist.log_std() << std::log(0.5), std::log(3.0);
  Eigen::MatrixXd mean(2, 1);
  mean << 1.0, -2.0;
  dist.forward(mean);
  core::Generator generator(4);
  constexpr int kDraws = 40000;
  Eigen::MatrixXd draws(2, kDraws);
  Eigen::MatrixXd one(2, 1);
  for (int i = 0; i < kDraws; ++i) {
    dist.sample(generator, one);
    draws.col(i) = one;
  }
  const Eigen::VectorXd m = draws.rowwise().mean();
  const Eigen::VectorXd sd =
      ((draws.colwise() - m).array().square().rowwise().sum() / (kDraws - 1)).sqrt();
  EXPECT_NEAR(m(0), 1.0, 0.01);
  EXPECT_NEAR(m(1), -2.0, 0.05);
  EXPECT_NEAR(sd(0), 0.5, 0.01);
  EXPECT_NEAR(sd(1), 3.0, 0.05);
}

TEST(DiagGaussianTest, ParametersAndShapes) {
  DiagGaussian<float> dist(2, -1.0f);
  EXPECT_EQ(dist.log_std()(1), -1.0f);
  auto params = dist.parameters("policy.");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].name, "policy.log_std");
  EXPECT_EQ(params[0].value.rows(), 2);
  EXPECT_THROW(dist.forward(Eigen::MatrixXf::Zero(3, 1)), std::invalid_argument);
  dist.forward(Eigen::MatrixXf::Zero(2, 2));
  std::vector<float> out(2);
  EXPECT_THROW(dist.log_prob(Eigen::MatrixXf::Zero(2, 3), out), std::invalid_argument);
  EXPECT_THROW(DiagGaussian<float>(0), std::invalid_argument);
}

}  // namespace
}  // namespace tars::nn
