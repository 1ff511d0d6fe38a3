#include "tars/nn/adam.h"

#include <gtest/gtest.h>

#include <vector>

namespace tars::nn {
namespace {

// One scalar parameter (1 x 1) whose gradient the test sets before each step.
struct Scalar1 {
  Eigen::MatrixXd value = Eigen::MatrixXd::Constant(1, 1, 1.0);
  Eigen::MatrixXd grad = Eigen::MatrixXd::Zero(1, 1);
  ParameterList<double> list() { return {{"p", as_map(value), as_map(grad)}}; }
};

// Expected values follow torch.optim.Adam's update written out by hand (see adam.h), e.g. step
// 2 of the first case: m = 0.9 * 0.05 + 0.1 * -0.2 = 0.025, v = 0.999 * 0.00025 + 0.001 * 0.04,
// p = 0.9 - 0.1 / 0.19 * 0.025 / (sqrt(v / 0.001999) + 1e-8) = 0.86543941811651...
TEST(AdamTest, StepsWithBiasCorrection) {
  Scalar1 p;
  Adam<double> adam(p.list(), {.lr = 0.1});
  const std::vector<double> grads = {0.5, -0.2, 0.1};
  const std::vector<double> expected = {0.900000002, 0.8654394181165108, 0.8275002408356956};
  for (std::size_t t = 0; t < grads.size(); ++t) {
    p.grad(0, 0) = grads[t];
    adam.step();
    EXPECT_NEAR(p.value(0, 0), expected[t], 1e-15) << "step " << t + 1;
  }
  EXPECT_EQ(adam.step_count(), 3);
}

TEST(AdamTest, WeightDecayIsAddedToTheGradient) {
  Scalar1 p;
  Adam<double> adam(p.list(), {.lr = 0.1, .weight_decay = 0.1});
  p.grad(0, 0) = 0.5;
  adam.step();
  EXPECT_NEAR(p.value(0, 0), 0.9000000016666666, 1e-15);
  p.grad(0, 0) = -0.2;
  adam.step();
  EXPECT_NEAR(p.value(0, 0), 0.8475190629593703, 1e-15);
}

TEST(AdamTest, LearningRateChangesBetweenSteps) {
  Scalar1 a;
  Scalar1 b;
  Adam<double> fast(a.list(), {.lr = 0.1});
  Adam<double> slow(b.list(), {.lr = 0.1});
  a.grad(0, 0) = b.grad(0, 0) = 1.0;
  fast.step();
  slow.step();
  slow.set_lr(0.0);
  EXPECT_EQ(slow.lr(), 0.0);
  fast.step();
  const double before = b.value(0, 0);
  slow.step();
  EXPECT_EQ(b.value(0, 0), before);
  EXPECT_LT(a.value(0, 0), before);
}

TEST(AdamTest, UpdatesMatricesElementwiseAndExposesState) {
  Eigen::MatrixXf w(2, 2);
  w << 1, 2, 3, 4;
  Eigen::MatrixXf g(2, 2);
  g << 1, -1, 0, 2;
  Adam<float> adam({{"w", as_map(w), as_map(g)}}, {.lr = 0.5});
  adam.step();
  // First Adam step moves each entry by lr * sign(g) (0 where g == 0).
  EXPECT_NEAR(w(0, 0), 0.5f, 1e-6);
  EXPECT_NEAR(w(0, 1), 2.5f, 1e-6);
  EXPECT_EQ(w(1, 0), 3.0f);
  EXPECT_NEAR(w(1, 1), 3.5f, 1e-6);
  auto state = adam.state();
  ASSERT_EQ(state.size(), 2u);
  EXPECT_EQ(state[0].name, "w.exp_avg");
  EXPECT_EQ(state[1].name, "w.exp_avg_sq");
  EXPECT_NEAR(state[0].value(1, 1), 0.2f, 1e-7);
  EXPECT_NEAR(state[1].value(1, 1), 0.004f, 1e-9);
  adam.zero_grad();
  EXPECT_TRUE(g.isZero(0));
}

}  // namespace
}  // namespace tars::nn
