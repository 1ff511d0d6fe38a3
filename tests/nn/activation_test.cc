#include "tars/nn/activation.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

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

// Near saturation tanh' = 1 - y² rests on the last few bits of y: float tanh must stay within
// 1 ulp of the correctly rounded value there (as PyTorch's) and reach ±1 only where that does
// (|x| > 9.01), or saturated units get a zero gradient and never come back.
TEST(ActivationTest, FloatTanhIsAccurateNearSaturation) {
  const auto ulps = [](float a, float b) {
    return std::abs(std::bit_cast<std::int32_t>(a) - std::bit_cast<std::int32_t>(b));
  };
  Eigen::MatrixXf x(1, 24001);
  for (Eigen::Index i = 0; i < x.cols(); ++i) x(0, i) = -12.0f + 0.001f * static_cast<float>(i);
  Eigen::MatrixXf y = x;
  activate<float>(Activation::kTanh, y);
  for (Eigen::Index i = 0; i < x.cols(); ++i) {
    const float expected = static_cast<float>(std::tanh(static_cast<double>(x(0, i))));
    ASSERT_LE(ulps(y(0, i), expected), std::abs(x(0, i)) >= 1.0f ? 1 : 4) << "x = " << x(0, i);
  }

  Eigen::MatrixXf saturating(1, 4);
  saturating << 8.0f, -8.5f, 9.5f, std::numeric_limits<float>::infinity();
  Eigen::MatrixXf out = saturating;
  activate<float>(Activation::kTanh, out);
  EXPECT_EQ(out(0, 0), 1.0f - 4 * std::numeric_limits<float>::epsilon() / 2);  // 1 - 2.4e-7
  EXPECT_EQ(out(0, 1), -(1.0f - std::numeric_limits<float>::epsilon() / 2));
  EXPECT_EQ(out(0, 2), 1.0f);
  EXPECT_EQ(out(0, 3), 1.0f);
  Eigen::MatrixXf grad = Eigen::MatrixXf::Ones(1, 4);
  activation_backward<float>(Activation::kTanh, out, grad);
  EXPECT_GT(grad(0, 0), 0.0f);
  EXPECT_GT(grad(0, 1), 0.0f);
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
