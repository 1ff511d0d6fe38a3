#include "tars/nn/init.h"

#include <gtest/gtest.h>

#include <Eigen/QR>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace tars::nn {
namespace {

TEST(InitTest, OrthogonalTallHasOrthonormalColumnsTimesGain) {
  core::Generator generator(1);
  Eigen::MatrixXd w(64, 4);
  init_orthogonal<double>(w, std::sqrt(2.0), generator);
  EXPECT_TRUE((w.transpose() * w).isApprox(2.0 * Eigen::MatrixXd::Identity(4, 4), 1e-12));
}

TEST(InitTest, OrthogonalWideHasOrthonormalRowsTimesGain) {
  core::Generator generator(2);
  Eigen::MatrixXd w(2, 64);
  init_orthogonal<double>(w, 0.01, generator);
  EXPECT_TRUE((w * w.transpose()).isApprox(1e-4 * Eigen::MatrixXd::Identity(2, 2), 1e-12));
}

TEST(InitTest, OrthogonalSquareFloat) {
  core::Generator generator(3);
  Eigen::MatrixXf w(64, 64);
  init_orthogonal<float>(w, 1.0, generator);
  EXPECT_TRUE((w.transpose() * w).isApprox(Eigen::MatrixXf::Identity(64, 64), 1e-5f));
  EXPECT_TRUE((w * w.transpose()).isApprox(Eigen::MatrixXf::Identity(64, 64), 1e-5f));
}

// torch's sign correction: W / gain is the Q of the QR of the drawn normal matrix with R's
// diagonal made positive, so Q^T A (= R) is upper triangular with a positive diagonal. Without the
// correction each diagonal sign is a coin flip, so 3 seeds x 8 columns would pass by chance with
// probability 2^-24.
TEST(InitTest, OrthogonalSignCorrectionMakesRDiagonalPositive) {
  for (std::uint64_t seed : {4, 5, 6}) {
    core::Generator g1(seed);
    core::Generator g2(seed);
    Eigen::MatrixXd w(12, 8);
    init_orthogonal<double>(w, 2.0, g1);
    Eigen::MatrixXd a(12, 8);  // the same draws, in the same (row-major) order
    for (Index r = 0; r < a.rows(); ++r) {
      for (Index c = 0; c < a.cols(); ++c) a(r, c) = g2.standard_normal();
    }
    const Eigen::MatrixXd r = (w / 2.0).transpose() * a;
    for (Index j = 0; j < r.cols(); ++j) EXPECT_GT(r(j, j), 0) << "seed " << seed << " col " << j;
    const Eigen::MatrixXd lower = r.triangularView<Eigen::StrictlyLower>();
    EXPECT_TRUE(lower.isZero(1e-12)) << "seed " << seed;
  }
}

// For a wide matrix torch factors the transpose: W^T / gain is Q of A^T, so W A^T is R.
TEST(InitTest, OrthogonalWideSignCorrection) {
  core::Generator g1(7);
  core::Generator g2(7);
  Eigen::MatrixXd w(8, 12);
  init_orthogonal<double>(w, 1.0, g1);
  Eigen::MatrixXd a(8, 12);
  for (Index r = 0; r < a.rows(); ++r) {
    for (Index c = 0; c < a.cols(); ++c) a(r, c) = g2.standard_normal();
  }
  const Eigen::MatrixXd r = w * a.transpose();
  for (Index j = 0; j < r.cols(); ++j) EXPECT_GT(r(j, j), 0) << j;
}

TEST(InitTest, SameSeedSameWeights) {
  core::Generator g1(5);
  core::Generator g2(5);
  core::Generator g3(6);
  Eigen::MatrixXf a(8, 5);
  Eigen::MatrixXf b(8, 5);
  Eigen::MatrixXf c(8, 5);
  init_orthogonal<float>(a, 1.0, g1);
  init_orthogonal<float>(b, 1.0, g2);
  init_orthogonal<float>(c, 1.0, g3);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  init_xavier_uniform<float>(a, 1.0, g1);
  init_xavier_uniform<float>(b, 1.0, g2);
  EXPECT_EQ(a, b);
}

TEST(InitTest, XavierUniformBoundAndVariance) {
  core::Generator generator(7);
  Eigen::MatrixXd w(200, 300);
  init_xavier_uniform<double>(w, 2.0, generator);
  const double bound = 2.0 * std::sqrt(6.0 / 500.0);
  EXPECT_LE(w.cwiseAbs().maxCoeff(), bound);
  EXPECT_GT(w.cwiseAbs().maxCoeff(), 0.99 * bound);
  // Var U(-a, a) = a^2 / 3.
  EXPECT_NEAR(w.squaredNorm() / w.size(), bound * bound / 3, 0.02 * bound * bound / 3);
}

TEST(InitTest, FanInUniformBound) {
  core::Generator generator(8);
  Eigen::MatrixXd w(64, 16);
  init_fan_in_uniform<double>(w, 16, generator);
  EXPECT_LE(w.cwiseAbs().maxCoeff(), 0.25);
  EXPECT_GT(w.cwiseAbs().maxCoeff(), 0.24);
  EXPECT_NEAR(w.mean(), 0.0, 0.02);
  EXPECT_THROW(init_fan_in_uniform<double>(w, 0, generator), std::invalid_argument);
}

}  // namespace
}  // namespace tars::nn
