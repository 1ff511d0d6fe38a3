// PPO learns for real: CartPole-v1 with RL Zoo's tuned hyperparameters on a small budget.
#include "tars/rl/ppo.h"

#include <gtest/gtest.h>

#include "tars/rl/algorithms.h"
#include "tars/rl/presets.h"
#include "test_agents.h"

namespace tars::rl {
namespace {

Hyperparameters zoo_cartpole() {
  auto h = Hyperparameters::from_schema(ppo_hyperparameter_schema());
  EXPECT_TRUE(h.ok());
  auto preset = zoo_preset("ppo", "CartPole-v1");
  EXPECT_TRUE(preset.ok());
  EXPECT_TRUE(h->set_all(preset->hyperparameters).ok());
  return *h;
}

TEST(PpoTest, LearnsCartPole) {
  auto envs = test::vector_env("CartPole-v1", 8, 0);
  auto agent = make_ppo(envs->spec(), zoo_cartpole(), 0);
  ASSERT_TRUE(agent.ok());
  const double before = test::eval_mean(**agent, "CartPole-v1");
  int updates = 0;
  ASSERT_TRUE((*agent)->learn(*envs, 60'000, [&](const LearnProgress&) { ++updates; }).ok());
  EXPECT_EQ(updates, 60'000 / (8 * 32) + 1);
  const double after = test::eval_mean(**agent, "CartPole-v1");
  std::printf("PPO CartPole: eval return %.1f before, %.1f after 60k steps\n", before, after);
  EXPECT_LT(before, 100.0);
  EXPECT_GT(after, 300.0);
}

std::vector<nn::StoredTensor> train_briefly(std::uint64_t seed) {
  Hyperparameters h = zoo_cartpole();
  EXPECT_TRUE(h.set_all({{"n_envs", "2"}, {"n_steps", "64"}, {"batch_size", "32"}}).ok());
  auto envs = test::vector_env("CartPole-v1", 2, seed);
  auto agent = make_ppo(envs->spec(), h, seed);
  EXPECT_TRUE((*agent)->learn(*envs, 1024, {}).ok());
  return (*agent)->tensors();
}

TEST(PpoTest, SameSeedGivesBitIdenticalWeights) {
  const auto first = train_briefly(7);
  const auto second = train_briefly(7);
  const auto other = train_briefly(8);
  ASSERT_EQ(first.size(), second.size());
  bool any_difference = false;
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].name, second[i].name);
    EXPECT_EQ(std::get<std::vector<float>>(first[i].data),
              std::get<std::vector<float>>(second[i].data))
        << first[i].name;
    any_difference |=
        std::get<std::vector<float>>(first[i].data) != std::get<std::vector<float>>(other[i].data);
  }
  EXPECT_TRUE(any_difference);
}

TEST(PpoTest, CheckpointTensorsRoundTrip) {
  auto envs = test::vector_env("Pendulum-v1", 1, 0);
  auto h = Hyperparameters::from_schema(ppo_hyperparameter_schema());
  ASSERT_TRUE(h.ok());
  auto trained = make_ppo(envs->spec(), *h, 1);
  auto fresh = make_ppo(envs->spec(), *h, 2);
  ASSERT_TRUE((*fresh)->load_tensors((*trained)->tensors()).ok());
  const std::vector<float> observation = {0.5f, -0.5f, 1.0f};
  std::vector<std::int64_t> unused(1);
  std::vector<float> a(1), b(1);
  (*trained)->act(observation, 1, true, unused, a);
  (*fresh)->act(observation, 1, true, unused, b);
  EXPECT_EQ(a, b);

  auto tensors = (*trained)->tensors();
  std::get<std::vector<float>>(tensors[0].data).pop_back();
  tensors[0].shape = {63, 3};
  const core::Status status = (*fresh)->load_tensors(tensors);
  EXPECT_NE(status.message().find("actor.layers.0.weight"), std::string::npos) << status.message();
}

TEST(PpoTest, RejectsMismatchedVectorEnv) {
  auto envs = test::vector_env("CartPole-v1", 2, 0);
  auto agent = make_ppo(envs->spec(), zoo_cartpole(), 0);  // n_envs 8
  const core::Status status = (*agent)->learn(*envs, 100, {});
  EXPECT_NE(status.message().find("n_envs=8"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace tars::rl

namespace tars::rl {
namespace {

TEST(PpoTest, LiveHyperparameterChangesRespectReloadClasses) {
  auto envs = test::vector_env("CartPole-v1", 1, 0);
  auto h = Hyperparameters::from_schema(ppo_hyperparameter_schema());
  ASSERT_TRUE(h.ok());
  auto agent = make_ppo(envs->spec(), *h, 0);
  ASSERT_TRUE(
      (*agent)->set_hyperparameters({{"learning_rate", "1e-4"}, {"ent_coef", "0.01"}}).ok());
  EXPECT_EQ((*agent)->hyperparameters().text("ent_coef"), "0.01");

  core::Status status =
      (*agent)->set_hyperparameters({{"clip_range", "0.3"}, {"net_arch", "medium"}});
  EXPECT_EQ(status.code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("'net_arch' is cold"), std::string::npos) << status.message();
  EXPECT_EQ((*agent)->hyperparameters().text("clip_range"), "0.2");  // nothing applied

  status = (*agent)->set_hyperparameters({{"gamma", "2"}});
  EXPECT_EQ(status.code(), core::ErrorCode::kOutOfRange);
  // Re-stating a cold value unchanged is fine.
  EXPECT_TRUE((*agent)->set_hyperparameters({{"net_arch", "small"}}).ok());
}

}  // namespace
}  // namespace tars::rl
