#include "tars/nn/grad_clip.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace tars::nn {
namespace {

struct TwoParams {
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(1, 2);
  Eigen::MatrixXd b = Eigen::MatrixXd::Zero(2, 1);
  Eigen::MatrixXd ga{{3.0, 0.0}};
  Eigen::MatrixXd gb{{0.0}, {4.0}};
  ParameterList<double> list() {
    return {{"a", as_map(a), as_map(ga)}, {"b", as_map(b), as_map(gb)}};
  }
};

TEST(GradClipTest, ScalesAllGradientsTogether) {
  TwoParams p;
  const double norm = clip_grad_norm<double>(p.list(), 1.0);
  EXPECT_DOUBLE_EQ(norm, 5.0);
  const double coef = 1.0 / (5.0 + 1e-6);
  EXPECT_DOUBLE_EQ(p.ga(0, 0), 3.0 * coef);
  EXPECT_DOUBLE_EQ(p.gb(1, 0), 4.0 * coef);
  EXPECT_NEAR(std::hypot(p.ga(0, 0), p.gb(1, 0)), 1.0, 1e-6);
}

TEST(GradClipTest, LeavesSmallGradientsAlone) {
  TwoParams p;
  EXPECT_DOUBLE_EQ(clip_grad_norm<double>(p.list(), 10.0), 5.0);
  EXPECT_EQ(p.ga(0, 0), 3.0);
  EXPECT_EQ(p.gb(1, 0), 4.0);
  // max_norm == norm: the coefficient 5 / (5 + 1e-6) is below 1, so PyTorch still scales.
  EXPECT_DOUBLE_EQ(clip_grad_norm<double>(p.list(), 5.0), 5.0);
  EXPECT_LT(p.ga(0, 0), 3.0);
}

TEST(GradClipTest, NonFiniteNormIsReported) {
  TwoParams p;
  p.ga(0, 1) = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(std::isinf(clip_grad_norm<double>(p.list(), 1.0)));
}

}  // namespace
}  // namespace tars::nn
