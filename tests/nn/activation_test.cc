#include "tars/nn/activation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "gradient_check.h"

namespace tars::nn {
namespace {

using testing::numeric_gradient;
using testing::random_matrix;

TEST(ActivationTest, ValuesInPlace) {
  Eigen::MatrixXd x(2, 3);
  x << -2.0, -0.5, 0.0, 0.25, 1.0, 3.0;
  Eigen::MatrixXd y = x;
  activate<double>(Activation::kTanh, y);
  for (Eigen::Index i = 0; i < x.size(); ++i) EXPECT_DOUBLE_EQ(y.data()[i], std::tanh(x.data()[i]));
  y = x;
  activate<double>(Activation::kReLU, y);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    EXPECT_EQ(y.data()[i], std::max(0.0, x.data()[i]));
  }
  y = x;
  activate<double>(Activation::kIdentity, y);
  EXPECT_EQ(y, x);
}

// d/dx sum(c * f(x)) from the output, against central differences, for each activation.
void check_activation_gradient(Activation activation) {
  core::Generator generator(7);
  Eigen::MatrixXd x = random_matrix(5, 4, generator);
  // Keep ReLU's inputs away from the kink at 0, where finite differences are meaningless.
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (std::abs(x.data()[i]) < 0.05) x.data()[i] = 0.3;
  }
  const Eigen::MatrixXd c = random_matrix(5, 4, generator);
  auto f = [&] {
    Eigen::MatrixXd y = x;
    activate<double>(activation, y);
    return c.cwiseProduct(y).sum();
  };
  Eigen::MatrixXd y = x;
  activate<double>(activation, y);
  Eigen::MatrixXd grad = c;
  activation_backward<double>(activation, y, grad);
  testing::expect_gradient_near(grad, numeric_gradient(f, x), activation_name(activation));
}

TEST(ActivationTest, TanhGradient) { check_activation_gradient(Activation::kTanh); }
TEST(ActivationTest, ReluGradient) { check_activation_gradient(Activation::kReLU); }
TEST(ActivationTest, IdentityGradient) { check_activation_gradient(Activation::kIdentity); }

TEST(ActivationTest, ReluGradientIsZeroForNegativeInputs) {
  Eigen::MatrixXd y(1, 3);
  y << 0.0, 0.0, 2.0;  // outputs of relu(-1), relu(0), relu(2)
  Eigen::MatrixXd grad = Eigen::MatrixXd::Ones(1, 3);
  activation_backward<double>(Activation::kReLU, y, grad);
  EXPECT_EQ(grad(0, 0), 0.0);
  EXPECT_EQ(grad(0, 1), 0.0);  // PyTorch's convention at the kink
  EXPECT_EQ(grad(0, 2), 1.0);
}

TEST(ActivationTest, ParsesNames) {
  for (Activation a : {Activation::kIdentity, Activation::kTanh, Activation::kReLU}) {
    auto parsed = parse_activation(activation_name(a));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, a);
  }
  auto bad = parse_activation("sigmoid");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'sigmoid'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("tanh"), std::string::npos);
}

}  // namespace
}  // namespace tars::nn
