// The actor-critic policy with a shared trunk ("64-64+32"): both heads' gradients reach the
// trunk (finite differences in float), and its tensors round-trip through checkpoints.
#include "tars/rl/actor_critic.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tars/env/registry.h"

namespace tars::rl {
namespace {

Hyperparameters shared_trunk() {
  auto h = Hyperparameters::from_schema(actor_critic_hyperparameter_schema());
  EXPECT_TRUE(h.ok());
  EXPECT_TRUE(h->set("net_arch", "64-64+32").ok());
  return *h;
}

env::EnvSpec cartpole() {
  auto made = env::make("CartPole-v1");
  EXPECT_TRUE(made.ok());
  return (*made)->spec();
}

RolloutMinibatch minibatch(int size) {
  RolloutMinibatch batch;
  for (int i = 0; i < size; ++i) {
    batch.indices.push_back(i);
    for (int j = 0; j < 4; ++j) batch.observations.push_back(0.3f * std::sin(1.7f * i + j));
    batch.discrete_actions.push_back(i % 2);
  }
  return batch;
}

// L = Σ a_i log π_i + e Σ H_i + Σ c_i V_i, whose derivatives backward() is given.
constexpr float kEntropyGrad = -0.3f;
float log_prob_grad(int i) { return 0.5f - 0.25f * i; }
float value_grad(int i) { return 0.2f + 0.1f * i; }

double loss(ActorCritic& policy, const RolloutMinibatch& batch) {
  const auto n = batch.size();
  std::vector<float> log_probs(n), entropies(n), values(n);
  policy.evaluate(batch, log_probs, entropies, values);
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const int k = static_cast<int>(i);
    total +=
        log_prob_grad(k) * log_probs[i] + kEntropyGrad * entropies[i] + value_grad(k) * values[i];
  }
  return total;
}

TEST(ActorCriticTest, SharedTrunkGetsTheGradientsOfBothHeads) {
  core::Generator rng(3);
  ActorCritic policy(cartpole(), shared_trunk(), rng);
  const RolloutMinibatch batch = minibatch(6);
  nn::ParameterList<float> parameters = policy.parameters();
  for (auto& p : parameters) p.grad.setZero();
  (void)loss(policy, batch);
  std::vector<float> log_prob_grads, value_grads;
  for (int i = 0; i < 6; ++i) {
    log_prob_grads.push_back(log_prob_grad(i));
    value_grads.push_back(value_grad(i));
  }
  policy.backward(batch, log_prob_grads, kEntropyGrad, value_grads);

  int checked = 0;
  for (auto& p : parameters) {
    if (!p.name.starts_with("trunk.")) continue;
    for (nn::Index k = 0; k < p.value.size(); k += 97) {  // a spread of entries of each tensor
      const float saved = p.value.data()[k];
      constexpr float kStep = 1e-2f;
      p.value.data()[k] = saved + kStep;
      const double up = loss(policy, batch);
      p.value.data()[k] = saved - kStep;
      const double down = loss(policy, batch);
      p.value.data()[k] = saved;
      const double numeric = (up - down) / (2.0 * kStep);
      EXPECT_NEAR(p.grad.data()[k], numeric, 2e-3 + 2e-2 * std::abs(numeric))
          << p.name << "[" << k << "]";
      ++checked;
    }
  }
  EXPECT_GT(checked, 40);
}

TEST(ActorCriticTest, SharedTrunkTensorsRoundTrip) {
  core::Generator first_rng(1), second_rng(2);
  ActorCritic trained(cartpole(), shared_trunk(), first_rng);
  ActorCritic fresh(cartpole(), shared_trunk(), second_rng);
  const auto tensors = trained.tensors();
  bool has_trunk = false;
  for (const auto& tensor : tensors) has_trunk |= tensor.name == "trunk.layers.1.weight";
  EXPECT_TRUE(has_trunk);
  ASSERT_TRUE(fresh.load_tensors(tensors).ok());
  const std::vector<float> observation = {0.01f, -0.2f, 0.03f, 0.4f};
  std::vector<float> a(1), b(1);
  trained.values(observation, 1, a);
  fresh.values(observation, 1, b);
  EXPECT_EQ(a, b);

  auto separate = Hyperparameters::from_schema(actor_critic_hyperparameter_schema()).value();
  core::Generator third_rng(3);
  ActorCritic other(cartpole(), separate, third_rng);
  const core::Status status = other.load_tensors(tensors);
  EXPECT_NE(status.message().find("unexpected tensor 'trunk."), std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace tars::rl
