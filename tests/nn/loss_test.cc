#include "tars/nn/loss.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "gradient_check.h"

namespace tars::nn {
namespace {

using testing::expect_gradient_near;
using testing::numeric_gradient;
using testing::random_matrix;

TEST(LossTest, MseValueAndGradientByHand) {
  Eigen::MatrixXd p(1, 2);
  Eigen::MatrixXd t(1, 2);
  p << 1.0, 3.0;
  t << 0.0, 1.0;
  Eigen::MatrixXd grad(1, 2);
  EXPECT_DOUBLE_EQ(mse_loss<double>(p, t, grad), (1.0 + 4.0) / 2);
  EXPECT_DOUBLE_EQ(grad(0, 0), 1.0);  // 2 * 1 / 2
  EXPECT_DOUBLE_EQ(grad(0, 1), 2.0);  // 2 * 2 / 2
  const std::vector<double> w = {0.5, 2.0};
  EXPECT_DOUBLE_EQ(mse_loss<double>(p, t, grad, w), (0.5 * 1.0 + 2.0 * 4.0) / 2);
  EXPECT_DOUBLE_EQ(grad(0, 1), 4.0);
}

TEST(LossTest, HuberValueInBothRegions) {
  // Differences 0.5 (quadratic), -2 (linear), 3 (linear); smooth_l1 with beta = 1.
  Eigen::MatrixXd p(1, 3);
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(1, 3);
  p << 0.5, -2.0, 3.0;
  Eigen::MatrixXd grad(1, 3);
  EXPECT_DOUBLE_EQ(huber_loss<double>(p, t, grad), (0.125 + 1.5 + 2.5) / 3);
  EXPECT_DOUBLE_EQ(grad(0, 0), 0.5 / 3);
  EXPECT_DOUBLE_EQ(grad(0, 1), -1.0 / 3);
  EXPECT_DOUBLE_EQ(grad(0, 2), 1.0 / 3);
  // delta = 2: 0.5 x^2 up to |x| < 2, then 2 (|x| - 1).
  EXPECT_DOUBLE_EQ(huber_loss<double>(p, t, grad, {}, 2.0), (0.125 + 2.0 + 4.0) / 3);
  EXPECT_DOUBLE_EQ(grad(0, 2), 2.0 / 3);
}

// Predictions spread over both Huber regions, 2 outputs x 6 samples, with and without weights.
void check_loss_gradient(bool huber, bool weighted) {
  core::Generator generator(51);
  Eigen::MatrixXd p = random_matrix(2, 6, generator, 2.0);
  const Eigen::MatrixXd t = random_matrix(2, 6, generator, 2.0);
  std::vector<double> w;
  if (weighted) w = {0.1, 1.0, 0.5, 2.0, 0.7, 1.3};
  Eigen::MatrixXd scratch(2, 6);
  auto loss = [&] {
    return huber ? huber_loss<double>(p, t, scratch, w) : mse_loss<double>(p, t, scratch, w);
  };
  Eigen::MatrixXd grad(2, 6);
  if (huber) {
    huber_loss<double>(p, t, grad, w);
    const Eigen::ArrayXXd diff = (p - t).array().abs();
    ASSERT_TRUE((diff > 1.0).any() && (diff < 1.0).any()) << "both regions must be exercised";
  } else {
    mse_loss<double>(p, t, grad, w);
  }
  expect_gradient_near(grad, numeric_gradient(loss, p),
                       std::string(huber ? "huber" : "mse") + (weighted ? " weighted" : ""));
}

TEST(LossTest, MseGradient) { check_loss_gradient(false, false); }
TEST(LossTest, MseWeightedGradient) { check_loss_gradient(false, true); }
TEST(LossTest, HuberGradient) { check_loss_gradient(true, false); }
TEST(LossTest, HuberWeightedGradient) { check_loss_gradient(true, true); }

TEST(LossTest, RejectsMismatchedShapes) {
  Eigen::MatrixXf p = Eigen::MatrixXf::Zero(1, 3);
  Eigen::MatrixXf t = Eigen::MatrixXf::Zero(1, 2);
  Eigen::MatrixXf grad(1, 3);
  EXPECT_THROW(mse_loss<float>(p, t, grad), std::invalid_argument);
  const std::vector<float> w = {1.0f};
  EXPECT_THROW(huber_loss<float>(p, p, grad, w), std::invalid_argument);
}

}  // namespace
}  // namespace tars::nn
