// A2C learns for real: CartPole-v1 with RL Zoo's preset (8 envs, SB3 defaults) on a small budget.
#include "tars/rl/a2c.h"

#include <gtest/gtest.h>

#include "tars/rl/evaluate.h"
#include "test_agents.h"

namespace tars::rl {
namespace {

TEST(A2cTest, LearnsCartPole) {
  auto h = Hyperparameters::from_schema(a2c_hyperparameter_schema());
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(h->set_all({{"n_envs", "8"}, {"ent_coef", "0.0"}}).ok());
  auto envs = test::vector_env("CartPole-v1", 8, 0);
  auto agent = make_a2c(envs->spec(), *h, 0);
  ASSERT_TRUE(agent.ok());
  const double before = test::eval_mean(**agent, "CartPole-v1");
  ASSERT_TRUE((*agent)->learn(*envs, 200'000, {}).ok());
  const double after = test::eval_mean(**agent, "CartPole-v1");
  std::printf("A2C CartPole: eval return %.1f before, %.1f after 200k steps\n", before, after);
  EXPECT_LT(before, 100.0);
  EXPECT_GT(after, 300.0);
}

TEST(A2cTest, AdamVariantAndContinuousActionsRun) {
  auto h = Hyperparameters::from_schema(a2c_hyperparameter_schema());
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(h->set_all({{"n_envs", "2"}, {"use_rms_prop", "false"}}).ok());
  auto envs = test::vector_env("Pendulum-v1", 2, 0);
  auto agent = make_a2c(envs->spec(), *h, 0);
  ASSERT_TRUE(agent.ok());
  int updates = 0;
  ASSERT_TRUE((*agent)
                  ->learn(*envs, 1000,
                          [&](const LearnProgress& p) {
                            ++updates;
                            EXPECT_TRUE(std::isfinite(p.metrics.at("policy_loss")));
                          })
                  .ok());
  EXPECT_EQ(updates, 100);
}

}  // namespace
}  // namespace tars::rl
