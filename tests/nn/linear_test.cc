#include "tars/nn/linear.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "gradient_check.h"
#include "tars/nn/init.h"

namespace tars::nn {
namespace {

using testing::expect_gradient_near;
using testing::numeric_gradient;
using testing::random_matrix;

Linear<double> random_layer(Index in, Index out, core::Generator& generator) {
  Linear<double> layer(in, out);
  layer.weight() = random_matrix(out, in, generator);
  layer.bias() = random_matrix(out, 1, generator);
  return layer;
}

TEST(LinearTest, ForwardComputesAffineMapPerColumn) {
  Linear<double> layer(2, 3);
  layer.weight() << 1, 2, 3, 4, 5, 6;
  layer.bias() << 0.5, -1, 2;
  Eigen::MatrixXd x(2, 2);
  x << 1, -1, 2, 0.5;
  const Eigen::MatrixXd y = layer.forward(x);
  Eigen::MatrixXd expected(3, 2);
  expected << 1 + 4 + 0.5, -1 + 1 + 0.5,  //
      3 + 8 - 1, -3 + 2 - 1,              //
      5 + 12 + 2, -5 + 3 + 2;
  EXPECT_EQ(y, expected);
  Eigen::MatrixXd predicted(3, 2);
  layer.predict(x, predicted);
  EXPECT_EQ(predicted, expected);
}

TEST(LinearTest, GradientsMatchFiniteDifferences) {
  core::Generator generator(1);
  Linear<double> layer = random_layer(4, 3, generator);
  Eigen::MatrixXd x = random_matrix(4, 5, generator);
  const Eigen::MatrixXd c = random_matrix(3, 5, generator);  // L = sum(c * y)
  auto loss = [&] { return c.cwiseProduct(Eigen::MatrixXd(layer.forward(x))).sum(); };

  layer.forward(x);
  const Eigen::MatrixXd grad_x = layer.backward(c);
  const Eigen::MatrixXd grad_w = layer.weight_grad();
  const Eigen::MatrixXd grad_b = layer.bias_grad();
  expect_gradient_near(grad_x, numeric_gradient(loss, x), "input");
  expect_gradient_near(grad_w, numeric_gradient(loss, layer.weight()), "weight");
  expect_gradient_near(grad_b, numeric_gradient(loss, layer.bias()), "bias");
}

TEST(LinearTest, BackwardAccumulatesUntilZeroGrad) {
  core::Generator generator(2);
  Linear<double> layer = random_layer(3, 2, generator);
  const Eigen::MatrixXd x = random_matrix(3, 4, generator);
  const Eigen::MatrixXd g = random_matrix(2, 4, generator);
  layer.forward(x);
  layer.backward(g);
  const Eigen::MatrixXd once = layer.weight_grad();
  const Eigen::VectorXd once_b = layer.bias_grad();
  layer.backward(g);
  EXPECT_TRUE(layer.weight_grad().isApprox(2 * once));
  EXPECT_TRUE(layer.bias_grad().isApprox(2 * once_b));
  layer.zero_grad();
  EXPECT_TRUE(layer.weight_grad().isZero(0));
  EXPECT_TRUE(layer.bias_grad().isZero(0));
}

TEST(LinearTest, ParametersAreNamedViewsOfTheStorage) {
  Linear<double> layer(3, 2);
  auto params = layer.parameters("fc.");
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].name, "fc.weight");
  EXPECT_EQ(params[0].value.rows(), 2);
  EXPECT_EQ(params[0].value.cols(), 3);
  EXPECT_EQ(params[1].name, "fc.bias");
  EXPECT_EQ(params[1].value.rows(), 2);
  EXPECT_EQ(params[1].value.cols(), 1);
  params[0].value(1, 2) = 5;
  params[1].grad(0, 0) = 3;
  EXPECT_EQ(layer.weight()(1, 2), 5);
  EXPECT_EQ(layer.bias_grad()(0), 3);
}

TEST(LinearTest, RejectsWrongShapes) {
  EXPECT_THROW(Linear<double>(0, 3), std::invalid_argument);
  Linear<double> layer(3, 2);
  EXPECT_THROW(layer.forward(Eigen::MatrixXd::Zero(4, 1)), std::invalid_argument);
  layer.forward(Eigen::MatrixXd::Zero(3, 2));
  EXPECT_THROW(layer.backward(Eigen::MatrixXd::Zero(2, 3)), std::invalid_argument);
}

TEST(LinearTest, BatchSizeChangesGiveConsistentResults) {
  core::Generator generator(3);
  Linear<float> layer(4, 8);
  init_fan_in_uniform<float>(layer.weight(), 4, generator);
  const Eigen::MatrixXf x = random_matrix(4, 16, generator).cast<float>();
  const Eigen::MatrixXf big = layer.forward(x);
  const Eigen::MatrixXf one = layer.forward(x.col(3));
  EXPECT_TRUE(one.isApprox(big.col(3)));
  EXPECT_TRUE(Eigen::MatrixXf(layer.forward(x)).isApprox(big));
}

}  // namespace
}  // namespace tars::nn
