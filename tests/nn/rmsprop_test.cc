#include "tars/nn/rmsprop.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tars::nn {
namespace {

struct Scalar1 {
  Eigen::MatrixXd value = Eigen::MatrixXd::Constant(1, 1, 1.0);
  Eigen::MatrixXd grad = Eigen::MatrixXd::Zero(1, 1);
  ParameterList<double> list() { return {{"p", as_map(value), as_map(grad)}}; }
};

// Two steps with gradients 0.5 then -0.2, lr 0.01, alpha 0.99, eps 1e-5 (SB3's A2C settings):
// v1 = 0.01 * 0.25 = 0.0025, p1 = 1 - 0.01 * 0.5 / (0.05 + 1e-5);
// v2 = 0.99 * 0.0025 + 0.01 * 0.04 = 0.002875, p2 = p1 + 0.01 * 0.2 / (sqrt(v2) + 1e-5).
TEST(RmspropTest, PlainSteps) {
  Scalar1 p;
  Rmsprop<double> opt(p.list(), {.lr = 0.01, .alpha = 0.99, .eps = 1e-5});
  p.grad(0, 0) = 0.5;
  opt.step();
  EXPECT_NEAR(p.value(0, 0), 1 - 0.01 * 0.5 / (0.05 + 1e-5), 1e-15);
  EXPECT_NEAR(p.value(0, 0), 0.9000199960007998, 1e-15);
  p.grad(0, 0) = -0.2;
  opt.step();
  EXPECT_NEAR(p.value(0, 0), 0.9000199960007998 + 0.002 / (std::sqrt(0.002875) + 1e-5), 1e-15);
  EXPECT_NEAR(p.value(0, 0), 0.9373132331058294, 1e-15);
}

TEST(RmspropTest, WeightDecayAndMomentum) {
  Scalar1 p;
  Rmsprop<double> opt(
      p.list(), {.lr = 0.01, .alpha = 0.99, .eps = 1e-5, .weight_decay = 0.1, .momentum = 0.9});
  p.grad(0, 0) = 0.5;
  opt.step();
  EXPECT_NEAR(p.value(0, 0), 0.9000166638893519, 1e-15);
  p.grad(0, 0) = -0.2;
  opt.step();
  EXPECT_NEAR(p.value(0, 0), 0.828149068321032, 1e-15);
  auto state = opt.state();
  ASSERT_EQ(state.size(), 2u);
  EXPECT_EQ(state[0].name, "p.square_avg");
  EXPECT_EQ(state[1].name, "p.momentum_buffer");
}

TEST(RmspropTest, Centered) {
  Scalar1 p;
  Rmsprop<double> opt(p.list(), {.lr = 0.01, .alpha = 0.99, .eps = 1e-5, .centered = true});
  p.grad(0, 0) = 0.5;
  opt.step();
  EXPECT_NEAR(p.value(0, 0), 0.8995164164343381, 1e-15);
  p.grad(0, 0) = -0.2;
  opt.step();
  EXPECT_NEAR(p.value(0, 0), 0.9368662139392653, 1e-15);
}

TEST(RmspropTest, LearningRateIsSettableAndGradientsUntouched) {
  Scalar1 p;
  Rmsprop<double> opt(p.list(), {.lr = 0.01});
  opt.set_lr(0.0);
  p.grad(0, 0) = 3.0;
  opt.step();
  EXPECT_EQ(p.value(0, 0), 1.0);
  EXPECT_EQ(p.grad(0, 0), 3.0);
  opt.zero_grad();
  EXPECT_EQ(p.grad(0, 0), 0.0);
}

}  // namespace
}  // namespace tars::nn
