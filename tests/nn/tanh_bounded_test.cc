#include "tars/nn/tanh_bounded.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "gradient_check.h"

namespace tars::nn {
namespace {

using testing::expect_gradient_near;
using testing::numeric_gradient;
using testing::random_matrix;

TanhBounded<double> pendulum_like() {
  Eigen::VectorXd low(2);
  Eigen::VectorXd high(2);
  low << -2.0, 0.0;
  high << 2.0, 1.0;
  return {low, high};
}

TEST(TanhBoundedTest, MapsIntoTheBox) {
  auto head = pendulum_like();
  Eigen::MatrixXd x(2, 3);
  x << 0.0, 50.0, -50.0, 0.0, 50.0, -50.0;
  const Eigen::MatrixXd a = head.forward(x);
  EXPECT_DOUBLE_EQ(a(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(a(1, 0), 0.5);
  EXPECT_DOUBLE_EQ(a(0, 1), 2.0);
  EXPECT_DOUBLE_EQ(a(1, 1), 1.0);
  EXPECT_DOUBLE_EQ(a(0, 2), -2.0);
  EXPECT_DOUBLE_EQ(a(1, 2), 0.0);
  Eigen::MatrixXd predicted(2, 3);
  head.predict(x, predicted);
  EXPECT_EQ(predicted, a);
}

TEST(TanhBoundedTest, BackwardMatchesFiniteDifferences) {
  auto head = pendulum_like();
  core::Generator generator(41);
  Eigen::MatrixXd x = random_matrix(2, 5, generator);
  const Eigen::MatrixXd c = random_matrix(2, 5, generator);
  auto objective = [&] {
    Eigen::MatrixXd a(2, 5);
    head.predict(x, a);
    return c.cwiseProduct(a).sum();
  };
  head.forward(x);
  const Eigen::MatrixXd grad = head.backward(c);
  expect_gradient_near(grad, numeric_gradient(objective, x), "x");
}

TEST(TanhBoundedTest, UnitScalingRoundTrips) {
  auto head = pendulum_like();
  Eigen::MatrixXd action(2, 2);
  action << -2.0, 1.0, 0.25, 1.0;
  Eigen::MatrixXd unit(2, 2);
  head.to_unit(action, unit);
  EXPECT_DOUBLE_EQ(unit(0, 0), -1.0);
  EXPECT_DOUBLE_EQ(unit(0, 1), 0.5);
  EXPECT_DOUBLE_EQ(unit(1, 0), -0.5);
  EXPECT_DOUBLE_EQ(unit(1, 1), 1.0);
  Eigen::MatrixXd back(2, 2);
  head.from_unit(unit, back);
  EXPECT_TRUE(back.isApprox(action));
}

TEST(TanhBoundedTest, RejectsBadBoxes) {
  Eigen::VectorXd low(1);
  Eigen::VectorXd high(1);
  low << 1.0;
  high << 1.0;
  EXPECT_THROW(TanhBounded<double>(low, high), std::invalid_argument);
  high << std::numeric_limits<double>::infinity();
  EXPECT_THROW(TanhBounded<double>(low, high), std::invalid_argument);
  EXPECT_THROW(TanhBounded<double>(Eigen::VectorXd(1), Eigen::VectorXd(2)), std::invalid_argument);
}

}  // namespace
}  // namespace tars::nn
