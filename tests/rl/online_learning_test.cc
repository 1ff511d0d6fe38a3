// Online learning (Agent::explore / observe / end_episode), the path the multi-agent orchestrator
// drives: each algorithm learns a Gymnasium task one executed transition at a time, and the
// accounting (scores, progress, memory) is consistent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "tars/env/registry.h"
#include "tars/rl/actor_critic.h"
#include "tars/rl/algorithms.h"
#include "tars/rl/presets.h"
#include "test_agents.h"

namespace tars::rl {
namespace {

struct Learner {
  std::unique_ptr<env::Env> env;
  std::unique_ptr<Agent> agent;
};

Learner make_learner(const std::string& algorithm, const std::string& env_id,
                     const std::vector<std::pair<std::string, std::string>>& settings) {
  auto env = env::make(env_id, {});
  EXPECT_TRUE(env.ok()) << env.status().to_string();
  auto h = default_hyperparameters(algorithm);
  EXPECT_TRUE(h.ok());
  auto preset = zoo_preset(algorithm, env_id);
  EXPECT_TRUE(preset.ok()) << preset.status().to_string();
  EXPECT_TRUE(h->set_all(preset->hyperparameters).ok());
  const core::Status set = h->set_all(settings);
  EXPECT_TRUE(set.ok()) << set.to_string();
  auto agent = make_agent(algorithm, (*env)->spec(), *h, 0);
  EXPECT_TRUE(agent.ok()) << agent.status().to_string();
  return {std::move(*env), std::move(*agent)};
}

// Runs `steps` online steps: explore, step the env, observe, end_episode at each episode end.
void learn_online(Learner& learner, std::int64_t steps) {
  env::Env& env = *learner.env;
  Agent& agent = *learner.agent;
  const bool discrete = env.spec().action_space.is_discrete();
  std::vector<float> observation(env.spec().observation_space.flat_size());
  std::vector<float> action(discrete ? 0 : env.spec().action_space.flat_size());
  auto first = env.reset(0);
  ASSERT_TRUE(first.ok());
  observation.assign(first->begin(), first->end());
  for (std::int64_t t = 0; t < steps; ++t) {
    std::int64_t discrete_action = 0;
    ASSERT_TRUE(agent.explore(observation, discrete_action, action).ok());
    auto result = discrete ? env.step(discrete_action) : env.step(std::span<const float>(action));
    ASSERT_TRUE(result.ok()) << result.status().to_string();
    const Transition transition{.observation = observation,
                                .discrete_action = discrete_action,
                                .continuous_action = action,
                                .reward = result->reward,
                                .next_observation = env.observation(),
                                .terminated = result->terminated,
                                .truncated = result->truncated};
    const core::Status observed = agent.observe(transition);
    ASSERT_TRUE(observed.ok()) << observed.to_string();
    if (result->terminated || result->truncated) {
      agent.end_episode();
      auto next = env.reset();
      ASSERT_TRUE(next.ok());
      observation.assign(next->begin(), next->end());
    } else {
      observation.assign(env.observation().begin(), env.observation().end());
    }
  }
  EXPECT_EQ(agent.progress().steps, steps);
}

void expect_learns(Learner& learner, std::int64_t steps, double threshold) {
  const std::string env_id = learner.env->spec().id;
  const double before = test::eval_mean(*learner.agent, env_id);
  learn_online(learner, steps);
  const double after = test::eval_mean(*learner.agent, env_id);
  std::printf("online %s %s: eval %.1f before, %.1f after %lld steps, %lld episodes\n",
              std::string(learner.agent->algorithm()).c_str(), env_id.c_str(), before, after,
              static_cast<long long>(steps),
              static_cast<long long>(learner.agent->progress().episodes));
  EXPECT_GT(after, threshold);
  EXPECT_GT(after, before);
}

TEST(OnlineLearning, PpoLearnsCartPole) {
  Learner learner = make_learner("ppo", "CartPole-v1", {{"n_envs", "1"}, {"n_steps", "256"}});
  expect_learns(learner, 60'000, 300.0);
}

TEST(OnlineLearning, A2cLearnsCartPole) {
  Learner learner = make_learner("a2c", "CartPole-v1", {{"n_envs", "1"}, {"n_steps", "8"}});
  expect_learns(learner, 60'000, 200.0);
}

TEST(OnlineLearning, DqnWithEpisodeDecayLearnsCartPole) {
  Learner learner = make_learner("dqn", "CartPole-v1",
                                 {{"exploration_initial_eps", "1"},
                                  {"exploration_final_eps", "0.02"},
                                  {"exploration_decay", "0.97"}});
  expect_learns(learner, 40'000, 150.0);
  // ε decayed per episode down to its floor.
  EXPECT_DOUBLE_EQ(learner.agent->progress().metrics.at("exploration_rate"), 0.02);
}

TEST(OnlineLearning, DdpgLearnsPendulum) {
  Learner learner = make_learner("ddpg", "Pendulum-v1", {});
  expect_learns(learner, 12'000, -900.0);
}

TEST(OnlineLearning, ScoresFollowTheAlgorithm) {
  Learner dqn = make_learner("dqn", "CartPole-v1", {});
  const std::vector<float> observation = {0.01f, 0.0f, 0.02f, 0.0f};
  const std::vector<std::int64_t> actions = {0, 1};
  std::vector<double> scores(2);
  ASSERT_TRUE(dqn.agent->score_actions(observation, actions, {}, scores).ok());
  EXPECT_TRUE(std::isfinite(scores[0]) && std::isfinite(scores[1]));

  // PPO scores are log-probabilities: they exponentiate to a distribution.
  Learner ppo = make_learner("ppo", "CartPole-v1", {{"n_envs", "1"}});
  ASSERT_TRUE(ppo.agent->score_actions(observation, actions, {}, scores).ok());
  EXPECT_NEAR(std::exp(scores[0]) + std::exp(scores[1]), 1.0, 1e-5);

  // DDPG scores rank candidate actions by its critic, one score per candidate.
  Learner ddpg = make_learner("ddpg", "Pendulum-v1", {});
  const std::vector<float> pendulum = {1.0f, 0.0f, 0.0f};
  const std::vector<float> candidates = {-2.0f, 0.0f, 2.0f};
  std::vector<double> q(3, std::nan(""));
  ASSERT_TRUE(ddpg.agent->score_actions(pendulum, {}, candidates, q).ok());
  for (double value : q) EXPECT_TRUE(std::isfinite(value));
  EXPECT_NE(q[0], q[2]);
}

TEST(OnlineLearning, MemoryCountsNetworksOptimizerAndBuffers) {
  Learner dqn =
      make_learner("dqn", "CartPole-v1", {{"buffer_size", "1000"}, {"net_arch", "small"}});
  Learner bigger =
      make_learner("dqn", "CartPole-v1", {{"buffer_size", "2000"}, {"net_arch", "small"}});
  const std::uint64_t small = dqn.agent->memory_bytes();
  // 1 000 more transitions: two observations of 4 floats, action, reward, terminated.
  EXPECT_EQ(bigger.agent->memory_bytes() - small, 1000u * (2 * 4 * 4 + 8 + 4 + 4));
  // The Q-network and its target (4-64-64-2) plus gradients and Adam's two moments.
  const std::uint64_t weights = (4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2) * 4;
  EXPECT_EQ(small - 1000u * (2 * 4 * 4 + 8 + 4 + 4), 2 * weights + 3 * weights);
}

TEST(OnlineLearning, OnPolicyRefusesSeveralEnvs) {
  Learner ppo = make_learner("ppo", "CartPole-v1", {{"n_envs", "2"}});
  const std::vector<float> observation = {0.0f, 0.0f, 0.0f, 0.0f};
  const core::Status status = ppo.agent->observe(
      {.observation = observation, .reward = 1.0, .next_observation = observation});
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("n_envs=2"), std::string::npos) << status.to_string();
}

}  // namespace
}  // namespace tars::rl

namespace tars::rl {
namespace {

TEST(ExplainedVariance, AsStableBaselines3) {
  const std::vector<float> targets = {1.0f, 2.0f, 3.0f, 6.0f};
  EXPECT_DOUBLE_EQ(explained_variance(targets, targets), 1.0);
  const std::vector<float> mean(4, 3.0f);
  EXPECT_NEAR(explained_variance(mean, targets), 0.0, 1e-12);
  // Residuals (0.5, -0.5, 0.5, -0.5): variance 0.25 against the targets' 3.5.
  const std::vector<float> close = {0.5f, 2.5f, 2.5f, 6.5f};
  EXPECT_NEAR(explained_variance(close, targets), 1.0 - 0.25 / 3.5, 1e-12);
  EXPECT_TRUE(std::isnan(explained_variance(targets, mean)));
}

TEST(OnlineLearning, OnPolicyAgentsReportExplainedVariance) {
  Learner a2c = make_learner("a2c", "CartPole-v1", {{"n_envs", "1"}, {"n_steps", "8"}});
  learn_online(a2c, 400);
  EXPECT_TRUE(a2c.agent->progress().metrics.contains("explained_variance"));
}

}  // namespace
}  // namespace tars::rl
