// Trained agents as evaluation policies, loaded from real checkpoints.
#include "tars/eval/agent_policy.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tars/env/registry.h"
#include "tars/eval/evaluator.h"
#include "tars/eval/regression.h"
#include "tars/rl/algorithms.h"
#include "temp_dir.h"

namespace tars::eval {
namespace {

rl::Hyperparameters small_ppo() {
  auto h = rl::default_hyperparameters("ppo");
  EXPECT_TRUE(h.ok());
  EXPECT_TRUE(h->set_all({{"n_envs", "2"}, {"n_steps", "64"}, {"batch_size", "32"}}).ok());
  return *h;
}

// PPO trained for 1024 steps on CartPole-v1: weights that differ from any fresh agent's.
std::unique_ptr<rl::Agent> trained_cartpole_agent() {
  env::VectorEnvOptions options;
  options.num_envs = 2;
  auto envs = env::VectorEnv::make("CartPole-v1", {}, options);
  EXPECT_TRUE(envs.ok());
  EXPECT_TRUE((*envs)->reset(3).ok());
  auto agent = rl::make_agent("ppo", (*envs)->spec(), small_ppo(), 3);
  EXPECT_TRUE(agent.ok()) << agent.status().to_string();
  EXPECT_TRUE((*agent)->learn(**envs, 1024, {}).ok());
  return std::move(*agent);
}

// Saves `policy`'s agent as a checkpoint whose seed (11) differs from the training seed (3).
rl::CheckpointMetadata save(AgentPolicy& policy, const std::filesystem::path& dir,
                            const std::vector<nn::StoredTensor>& tensors) {
  rl::CheckpointMetadata metadata;
  metadata.algorithm = policy.agent_type();
  metadata.env_id = policy.env_spec().id;
  metadata.hyperparameters_json = policy.hyperparameters_json();
  metadata.seed = 11;
  auto saved = rl::save_checkpoint(dir, metadata, tensors);
  EXPECT_TRUE(saved.ok()) << saved.status().to_string();
  return *saved;
}

EvaluationOutcome run(Policy& policy, std::string_view id, const EvaluatorOptions& options) {
  auto outcome = evaluate(policy, id, {}, options);
  EXPECT_TRUE(outcome.ok()) << outcome.status().to_string();
  return outcome.ok() ? std::move(*outcome) : EvaluationOutcome{};
}

TEST(AgentPolicyTest, LoadedCheckpointActsLikeTheSavedAgent) {
  test::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  AgentPolicy original(trained_cartpole_agent());
  EXPECT_EQ(original.checkpoint_hash(), "");
  const rl::CheckpointMetadata saved =
      save(original, dir.path() / "ckpt", original.agent().tensors());

  auto loaded = load_checkpoint_policy(dir.path() / "ckpt");
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  AgentPolicy& policy = *loaded->policy;
  EXPECT_EQ(loaded->metadata.env_id, "CartPole-v1");
  EXPECT_EQ(policy.agent_type(), "ppo");
  EXPECT_EQ(policy.checkpoint_hash(), saved.content_hash);
  EXPECT_EQ(policy.checkpoint_hash().size(), 64u);
  // n_steps=64 and friends came back from checkpoint.json, not from the defaults.
  EXPECT_EQ(policy.hyperparameters_json(), original.hyperparameters_json());
  EXPECT_EQ(policy.agent().hyperparameters().integer("n_steps"), 64);
  const auto expected = original.agent().tensors();
  const auto actual = policy.agent().tensors();
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i].data, expected[i].data) << expected[i].name;
  }

  const EvaluatorOptions options{.episodes = 5, .seed = 100};
  EXPECT_EQ(run(policy, "CartPole-v1", options).episodes,
            run(original, "CartPole-v1", options).episodes);
}

TEST(AgentPolicyTest, DeterministicResultsDoNotDependOnTheNumberOfEnvs) {
  AgentPolicy cartpole(trained_cartpole_agent());
  const EvaluationOutcome one = run(cartpole, "CartPole-v1", {.episodes = 6, .num_envs = 1});
  const EvaluationOutcome four = run(cartpole, "CartPole-v1", {.episodes = 6, .num_envs = 4});
  EXPECT_EQ(one.episodes, four.episodes);
  EXPECT_EQ(one.actions.counts(), four.actions.counts());

  // A Box policy: a fresh PPO Gaussian policy's means on Pendulum-v1.
  auto spec = env::make("Pendulum-v1");
  ASSERT_TRUE(spec.ok());
  auto agent = rl::make_agent("ppo", (*spec)->spec(), small_ppo(), 4);
  ASSERT_TRUE(agent.ok()) << agent.status().to_string();
  AgentPolicy pendulum(std::move(*agent));
  const EvaluationOutcome a = run(pendulum, "Pendulum-v1", {.episodes = 5, .num_envs = 1});
  const EvaluationOutcome b = run(pendulum, "Pendulum-v1", {.episodes = 5, .num_envs = 3});
  EXPECT_EQ(a.episodes, b.episodes);
  EXPECT_EQ(a.actions.counts(), b.actions.counts());
}

TEST(AgentPolicyTest, StochasticModeSamplesFromTheUntrainedPolicy) {
  auto spec = env::make("CartPole-v1");
  ASSERT_TRUE(spec.ok());
  auto agent = rl::make_agent("ppo", (*spec)->spec(), small_ppo(), 5);
  ASSERT_TRUE(agent.ok());
  AgentPolicy policy(std::move(*agent));
  // The policy head starts near zero (orthogonal init with gain 0.01): both actions about equally
  // likely, so sampled actions have about ln 2 nats of entropy.
  const EvaluationOutcome outcome =
      run(policy, "CartPole-v1", {.episodes = 20, .mode = store::PolicyMode::kStochastic});
  EXPECT_NEAR(outcome.metrics.action_entropy, std::log(2.0), 0.01);
}

TEST(AgentPolicyTest, ReportedLossesReachTheMetricsAndTheVerdict) {
  AgentPolicy policy(trained_cartpole_agent());
  policy.set_recent_losses({1.0, 1.2, 1.4, 1.6, 1.8});
  const EvaluationOutcome outcome = run(policy, "CartPole-v1", {.episodes = 2});
  ASSERT_TRUE(outcome.metrics.mean_loss.has_value());
  EXPECT_DOUBLE_EQ(*outcome.metrics.mean_loss, 1.4);
  EXPECT_EQ(outcome.metrics.loss_trend, store::LossTrend::kIncreasing);
  const store::RegressionVerdict verdict = detect_regression(outcome.metrics, outcome.metrics);
  ASSERT_FALSE(verdict.failed_checks.empty());
  EXPECT_EQ(verdict.failed_checks.back().name, "loss_trend");
}

TEST(AgentPolicyTest, LoadErrorsNameTheProblem) {
  test::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto missing = load_checkpoint_policy(dir.path() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos)
      << missing.status().message();

  AgentPolicy policy(trained_cartpole_agent());
  std::vector<nn::StoredTensor> tensors = policy.agent().tensors();
  const std::string dropped = tensors.back().name;
  tensors.pop_back();
  save(policy, dir.path() / "short", tensors);
  auto incomplete = load_checkpoint_policy(dir.path() / "short");
  ASSERT_FALSE(incomplete.ok());
  EXPECT_NE(incomplete.status().message().find(dropped), std::string::npos)
      << incomplete.status().message();
}

}  // namespace
}  // namespace tars::eval
