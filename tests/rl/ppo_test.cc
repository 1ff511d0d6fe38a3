// PPO learns for real: CartPole-v1 with RL Zoo's tuned hyperparameters on a small budget.
#include "tars/rl/ppo.h"

#include <gtest/gtest.h>

#include "tars/env/registry.h"
#include "tars/rl/evaluate.h"

namespace tars::rl {
namespace {

Hyperparameters zoo_cartpole() {
  auto h = Hyperparameters::from_schema(ppo_hyperparameter_schema());
  EXPECT_TRUE(h.ok());
  EXPECT_TRUE(h->set_all({{"n_envs", "8"},
                          {"n_steps", "32"},
                          {"batch_size", "256"},
                          {"gae_lambda", "0.8"},
                          {"gamma", "0.98"},
                          {"n_epochs", "20"},
                          {"ent_coef", "0.0"},
                          {"learning_rate", "lin_0.001"},
                          {"clip_range", "lin_0.2"}})
                  .ok());
  return *h;
}

std::unique_ptr<env::VectorEnv> cartpoles(int n) {
  env::VectorEnvOptions options;
  options.num_envs = n;
  auto envs = env::VectorEnv::make("CartPole-v1", {}, options);
  EXPECT_TRUE(envs.ok());
  return std::move(*envs);
}

TEST(PpoTest, LearnsCartPole) {
  const Hyperparameters h = zoo_cartpole();
  auto envs = cartpoles(8);
  ASSERT_TRUE(envs->reset(0).ok());
  auto agent = make_ppo(envs->spec(), h, 0);
  ASSERT_TRUE(agent.ok());
  auto before = evaluate_agent(**agent, "CartPole-v1", {}, 10, 1000);
  ASSERT_TRUE(before.ok());

  int updates = 0;
  ASSERT_TRUE((*agent)->learn(*envs, 60'000, [&](const LearnProgress&) { ++updates; }).ok());
  EXPECT_EQ(updates, 60'000 / (8 * 32) + 1);

  auto after = evaluate_agent(**agent, "CartPole-v1", {}, 10, 1000);
  ASSERT_TRUE(after.ok());
  std::printf("PPO CartPole: eval return %.1f before, %.1f after 60k steps\n", before->mean_return,
              after->mean_return);
  EXPECT_LT(before->mean_return, 100.0);
  EXPECT_GT(after->mean_return, 300.0);
}

}  // namespace
}  // namespace tars::rl
