#include "tars/nn/mlp.h"

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

// L = sum(c * mlp(x)); every parameter's and the input's gradient against central differences.
void check_mlp_gradients(Activation hidden, Activation output) {
  core::Generator generator(11);
  Mlp<double> mlp({3, 6, 5, 2}, hidden, output, generator);
  Eigen::MatrixXd x = random_matrix(3, 4, generator);
  const Eigen::MatrixXd c = random_matrix(2, 4, generator);
  auto loss = [&] { return c.cwiseProduct(Eigen::MatrixXd(mlp.predict(x))).sum(); };

  mlp.zero_grad();
  mlp.forward(x);
  const Eigen::MatrixXd grad_x = mlp.backward(c);
  const std::string label = std::string(activation_name(hidden)) + "/" + activation_name(output);
  expect_gradient_near(grad_x, numeric_gradient(loss, x), label + " input");
  for (auto& p : mlp.parameters()) {
    const Eigen::MatrixXd analytic = p.grad;
    expect_gradient_near(analytic, numeric_gradient(loss, p.value), label + " " + p.name);
  }
}

TEST(MlpTest, TanhGradients) { check_mlp_gradients(Activation::kTanh, Activation::kIdentity); }
TEST(MlpTest, ReluGradients) { check_mlp_gradients(Activation::kReLU, Activation::kIdentity); }
TEST(MlpTest, OutputActivationGradients) {
  check_mlp_gradients(Activation::kReLU, Activation::kTanh);
}

TEST(MlpTest, SingleLayerGradients) {
  core::Generator generator(12);
  Mlp<double> mlp({4, 3}, Activation::kTanh, Activation::kTanh, generator);
  Eigen::MatrixXd x = random_matrix(4, 2, generator);
  const Eigen::MatrixXd c = random_matrix(3, 2, generator);
  auto loss = [&] { return c.cwiseProduct(Eigen::MatrixXd(mlp.predict(x))).sum(); };
  mlp.forward(x);
  const Eigen::MatrixXd grad_x = mlp.backward(c);
  expect_gradient_near(grad_x, numeric_gradient(loss, x), "input");
  auto params = mlp.parameters();
  const Eigen::MatrixXd grad_w = params[0].grad;
  expect_gradient_near(grad_w, numeric_gradient(loss, params[0].value), "weight");
}

TEST(MlpTest, BackwardParametersMatchesBackward) {
  core::Generator generator(13);
  Mlp<double> a({3, 8, 2}, Activation::kTanh, Activation::kIdentity, generator);
  Mlp<double> b = a;
  const Eigen::MatrixXd x = random_matrix(3, 5, generator);
  const Eigen::MatrixXd g = random_matrix(2, 5, generator);
  a.forward(x);
  a.backward(g);
  b.forward(x);
  b.backward_parameters(g);
  auto pa = a.parameters();
  auto pb = b.parameters();
  for (std::size_t k = 0; k < pa.size(); ++k) EXPECT_EQ(pa[k].grad, pb[k].grad) << pa[k].name;
}

TEST(MlpTest, ForwardMatchesManualComputation) {
  core::Generator generator(14);
  Mlp<double> mlp({2, 3, 1}, Activation::kTanh, Activation::kIdentity, generator);
  const Eigen::MatrixXd x = random_matrix(2, 3, generator);
  const auto& l0 = mlp.layers()[0];
  const auto& l1 = mlp.layers()[1];
  const Eigen::MatrixXd h = ((l0.weight() * x).colwise() + l0.bias()).array().tanh();
  const Eigen::MatrixXd expected = (l1.weight() * h).colwise() + l1.bias();
  EXPECT_TRUE(Eigen::MatrixXd(mlp.forward(x)).isApprox(expected, 1e-14));
  EXPECT_TRUE(Eigen::MatrixXd(mlp.predict(x)).isApprox(expected, 1e-14));
}

TEST(MlpTest, PredictDoesNotDisturbAPendingBackward) {
  core::Generator generator(15);
  Mlp<double> a({3, 4, 2}, Activation::kTanh, Activation::kIdentity, generator);
  Mlp<double> b = a;
  const Eigen::MatrixXd x = random_matrix(3, 6, generator);
  const Eigen::MatrixXd other = random_matrix(3, 1, generator);
  const Eigen::MatrixXd g = random_matrix(2, 6, generator);
  a.forward(x);
  a.predict(other);  // e.g. acting between a forward and its backward
  const Eigen::MatrixXd grad_a = a.backward(g);
  b.forward(x);
  const Eigen::MatrixXd grad_b = b.backward(g);
  EXPECT_EQ(grad_a, grad_b);
}

TEST(MlpTest, DefaultInitIsFanInUniformAndSeeded) {
  core::Generator g1(42);
  core::Generator g2(42);
  core::Generator g3(43);
  Mlp<float> a({4, 64, 64, 2}, Activation::kTanh, Activation::kIdentity, g1);
  Mlp<float> b({4, 64, 64, 2}, Activation::kTanh, Activation::kIdentity, g2);
  Mlp<float> c({4, 64, 64, 2}, Activation::kTanh, Activation::kIdentity, g3);
  std::vector<float> fa(a.parameter_count());
  std::vector<float> fb(b.parameter_count());
  std::vector<float> fc(c.parameter_count());
  a.get_flat(fa);
  b.get_flat(fb);
  c.get_flat(fc);
  EXPECT_EQ(fa, fb);
  EXPECT_NE(fa, fc);
  // Layer 0 has fan_in 4: |w| <= 0.5; layer 1 fan_in 64: |w| <= 0.125.
  EXPECT_LE(a.layers()[0].weight().cwiseAbs().maxCoeff(), 0.5f);
  EXPECT_GT(a.layers()[0].weight().cwiseAbs().maxCoeff(), 0.4f);
  EXPECT_LE(a.layers()[1].weight().cwiseAbs().maxCoeff(), 0.125f);
  EXPECT_LE(a.layers()[1].bias().cwiseAbs().maxCoeff(), 0.125f);
  EXPECT_GT(a.layers()[1].bias().cwiseAbs().maxCoeff(), 0.1f);
}

TEST(MlpTest, OrthogonalInitUsesGainsAndZeroBiases) {
  core::Generator generator(5);
  Mlp<double> mlp({4, 16, 16, 2}, Activation::kTanh, Activation::kIdentity, generator);
  mlp.init_orthogonal(std::sqrt(2.0), 0.01, generator);
  const auto& w0 = mlp.layers()[0].weight();  // 16 x 4, tall
  EXPECT_TRUE((w0.transpose() * w0).isApprox(2.0 * Eigen::MatrixXd::Identity(4, 4), 1e-12));
  const auto& w2 = mlp.layers()[2].weight();  // 2 x 16, wide
  EXPECT_TRUE((w2 * w2.transpose()).isApprox(1e-4 * Eigen::MatrixXd::Identity(2, 2), 1e-12));
  for (const auto& layer : mlp.layers()) EXPECT_TRUE(layer.bias().isZero(0));
}

TEST(MlpTest, ParameterNamesAndCount) {
  core::Generator generator(0);
  Mlp<float> mlp({4, 64, 64, 2}, Activation::kTanh, Activation::kIdentity, generator);
  auto params = mlp.parameters("pi.");
  ASSERT_EQ(params.size(), 6u);
  EXPECT_EQ(params[0].name, "pi.layers.0.weight");
  EXPECT_EQ(params[1].name, "pi.layers.0.bias");
  EXPECT_EQ(params[5].name, "pi.layers.2.bias");
  EXPECT_EQ(mlp.parameter_count(), 4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
}

TEST(MlpTest, CopyAndPolyak) {
  core::Generator generator(6);
  Mlp<double> online({3, 5, 2}, Activation::kReLU, Activation::kIdentity, generator);
  Mlp<double> target({3, 5, 2}, Activation::kReLU, Activation::kIdentity, generator);
  const Eigen::MatrixXd before = target.layers()[0].weight();
  const Eigen::MatrixXd source = online.layers()[0].weight();
  target.polyak(online, 0.25);
  EXPECT_TRUE(target.layers()[0].weight().isApprox(0.75 * before + 0.25 * source, 1e-15));
  target.polyak(online, 1.0);
  EXPECT_EQ(target.layers()[1].bias(), online.layers()[1].bias());
  Mlp<double> fresh({3, 5, 2}, Activation::kReLU, Activation::kIdentity, generator);
  fresh.copy_from(online);
  EXPECT_EQ(fresh.layers()[0].weight(), online.layers()[0].weight());
  EXPECT_EQ(fresh.layers()[1].bias(), online.layers()[1].bias());
  Mlp<double> other({3, 6, 2}, Activation::kReLU, Activation::kIdentity, generator);
  EXPECT_THROW(other.copy_from(online), std::invalid_argument);
  EXPECT_THROW(other.polyak(online, 0.5), std::invalid_argument);
}

TEST(MlpTest, FlatRoundTripInParameterOrder) {
  core::Generator generator(8);
  Mlp<float> a({3, 4, 2}, Activation::kTanh, Activation::kIdentity, generator);
  Mlp<float> b({3, 4, 2}, Activation::kTanh, Activation::kIdentity, generator);
  std::vector<float> flat(a.parameter_count());
  a.get_flat(flat);
  EXPECT_EQ(flat[0], a.layers()[0].weight()(0, 0));
  EXPECT_EQ(flat[1], a.layers()[0].weight()(1, 0));  // column-major
  EXPECT_EQ(flat[12], a.layers()[0].bias()(0));
  ASSERT_TRUE(b.set_flat(flat).ok());
  const Eigen::MatrixXf x = Eigen::MatrixXf::Random(3, 2);
  EXPECT_EQ(Eigen::MatrixXf(a.predict(x)), Eigen::MatrixXf(b.predict(x)));
  flat.pop_back();
  const core::Status status = b.set_flat(flat);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("expected 26 values, got 25"), std::string::npos);
}

TEST(MlpTest, AlternatingBatchSizesAgree) {
  core::Generator generator(9);
  Mlp<float> mlp({4, 32, 2}, Activation::kTanh, Activation::kIdentity, generator);
  const Eigen::MatrixXf x = random_matrix(4, 64, generator).cast<float>();
  const Eigen::MatrixXf full = mlp.forward(x);
  for (Index i : {0, 17, 63}) {
    const Eigen::MatrixXf one = mlp.forward(x.col(i));
    EXPECT_TRUE(one.isApprox(full.col(i), 1e-6f)) << i;
  }
  EXPECT_TRUE(Eigen::MatrixXf(mlp.forward(x)).isApprox(full));
}

TEST(MlpTest, RejectsBadSizes) {
  core::Generator generator(0);
  EXPECT_THROW(Mlp<float>({4}, Activation::kTanh, Activation::kIdentity, generator),
               std::invalid_argument);
  EXPECT_THROW(Mlp<float>({4, 0, 2}, Activation::kTanh, Activation::kIdentity, generator),
               std::invalid_argument);
  Mlp<float> mlp({4, 8, 2}, Activation::kTanh, Activation::kIdentity, generator);
  mlp.forward(Eigen::MatrixXf::Zero(4, 3));
  EXPECT_THROW(mlp.backward(Eigen::MatrixXf::Zero(2, 4)), std::invalid_argument);
}

}  // namespace
}  // namespace tars::nn
