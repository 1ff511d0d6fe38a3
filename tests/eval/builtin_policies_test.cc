// The built-in policies evaluated for real: the heuristics solve their environments, the random
// policy does not and is flagged as a regression against the heuristic baseline.
#include "tars/eval/builtin_policies.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "tars/env/registry.h"
#include "tars/eval/evaluator.h"
#include "tars/eval/regression.h"

namespace tars::eval {
namespace {

env::EnvSpec spec_of(std::string_view id, const env::Kwargs& kwargs = {}) {
  auto made = env::make(id, kwargs);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return (*made)->spec();
}

std::unique_ptr<Policy> builtin(std::string_view name, std::string_view id,
                                const env::Kwargs& kwargs = {}, std::uint64_t seed = 0) {
  auto policy = make_builtin_policy(name, spec_of(id, kwargs), seed);
  EXPECT_TRUE(policy.ok()) << policy.status().to_string();
  return policy.ok() ? std::move(*policy) : nullptr;
}

EvaluationOutcome run(Policy& policy, std::string_view id, int episodes,
                      const env::Kwargs& kwargs = {}) {
  auto outcome = evaluate(policy, id, kwargs, {.episodes = episodes, .seed = 0});
  EXPECT_TRUE(outcome.ok()) << outcome.status().to_string();
  return outcome.ok() ? std::move(*outcome) : EvaluationOutcome{};
}

void print(std::string_view what, const store::EvaluationMetrics& m) {
  std::printf("%s: mean %.2f std %.2f min %.1f max %.1f success %.2f entropy %.3f\n",
              std::string(what).c_str(), m.mean_reward, m.std_reward, m.min_reward, m.max_reward,
              m.success_rate, m.action_entropy);
}

// tests/env/cartpole_heuristic_test.cc: every episode of seeds 0-99 lasts the full 500 steps.
TEST(BuiltinPoliciesTest, CartPoleHeuristicScores500OnSeeds0To99) {
  auto policy = builtin("heuristic", "CartPole-v1");
  const EvaluationOutcome outcome = run(*policy, "CartPole-v1", 100);
  print("CartPole-v1 heuristic", outcome.metrics);
  ASSERT_EQ(outcome.episodes.size(), 100u);
  for (const store::EpisodeRecord& episode : outcome.episodes) {
    EXPECT_EQ(episode.total_reward, 500.0) << "episode " << episode.episode_num;
    EXPECT_TRUE(episode.success);
  }
  EXPECT_EQ(outcome.metrics.mean_reward, 500.0);
  EXPECT_EQ(outcome.metrics.std_reward, 0.0);
  EXPECT_EQ(outcome.metrics.success_rate, 1.0);
  EXPECT_EQ(outcome.metrics.mean_steps, 500.0);
  EXPECT_EQ(outcome.actions.total(), 50'000);
  EXPECT_EQ(policy->agent_type(), "heuristic");
  EXPECT_EQ(policy->checkpoint_hash(), "");
  EXPECT_EQ(policy->hyperparameters_json(), "{}");
  EXPECT_TRUE(policy->recent_losses().empty());
}

TEST(BuiltinPoliciesTest, RandomPolicyFailsCartPoleAndIsARegressionAgainstTheHeuristic) {
  auto heuristic = builtin("heuristic", "CartPole-v1");
  const store::EvaluationMetrics baseline = run(*heuristic, "CartPole-v1", 100).metrics;
  auto random = builtin("random", "CartPole-v1");
  const EvaluationOutcome outcome = run(*random, "CartPole-v1", 100);
  print("CartPole-v1 random", outcome.metrics);
  EXPECT_EQ(random->agent_type(), "random");
  // Random pushes keep the pole up for about 22 steps (Gymnasium's documented random return).
  EXPECT_GT(outcome.metrics.mean_reward, 15.0);
  EXPECT_LT(outcome.metrics.mean_reward, 30.0);
  EXPECT_LT(outcome.metrics.max_reward, 475.0);
  EXPECT_EQ(outcome.metrics.success_rate, 0.0);
  // Fair coin flips: the entropy of two equally likely actions.
  EXPECT_NEAR(outcome.metrics.action_entropy, std::log(2.0), 1e-3);

  const store::RegressionVerdict verdict = detect_regression(outcome.metrics, baseline);
  EXPECT_TRUE(verdict.detected);
  ASSERT_EQ(verdict.failed_checks.size(), 3u);
  EXPECT_EQ(verdict.failed_checks[0].name, "failure_rate");
  EXPECT_EQ(verdict.failed_checks[0].value, 1.0);
  EXPECT_EQ(verdict.failed_checks[1].name, "reward_drop");
  EXPECT_GT(verdict.failed_checks[1].value, 0.9);
  EXPECT_EQ(verdict.failed_checks[2].name, "variance_ratio");  // against a zero variance
  EXPECT_NEAR(verdict.regression_score, 0.9, 1e-12);           // no losses: no loss term
  EXPECT_TRUE(verdict.should_rollback);
  // The heuristic against itself is fine.
  EXPECT_FALSE(detect_regression(baseline, baseline).detected);
}

// Gymnasium's heuristic solves ~90% of discrete and ~99.8% of continuous episodes.
TEST(BuiltinPoliciesTest, LunarLanderHeuristicsLandMostEpisodes) {
  auto discrete = builtin("heuristic", "LunarLander-v3");
  const store::EvaluationMetrics d = run(*discrete, "LunarLander-v3", 20).metrics;
  print("LunarLander-v3 heuristic", d);
  EXPECT_GE(d.success_rate, 0.8);
  EXPECT_GT(d.mean_reward, 200.0);

  auto continuous = builtin("heuristic", "LunarLanderContinuous-v3");
  const store::EvaluationMetrics c = run(*continuous, "LunarLanderContinuous-v3", 20).metrics;
  print("LunarLanderContinuous-v3 heuristic", c);
  EXPECT_GE(c.success_rate, 0.95);
  EXPECT_GT(c.mean_reward, 250.0);

  // LunarLander-v3 made with continuous=true keeps its id and takes the continuous controller.
  const env::Kwargs kwargs = {{"continuous", true}};
  auto by_kwarg = builtin("heuristic", "LunarLander-v3", kwargs);
  EXPECT_EQ(run(*by_kwarg, "LunarLander-v3", 20, kwargs).metrics, c);
}

TEST(BuiltinPoliciesTest, RandomPolicyOnABoxIsUniformWithinTheBounds) {
  auto random = builtin("random", "LunarLanderContinuous-v3");
  const EvaluationOutcome outcome = run(*random, "LunarLanderContinuous-v3", 10);
  print("LunarLanderContinuous-v3 random", outcome.metrics);
  EXPECT_EQ(outcome.metrics.success_rate, 0.0);
  EXPECT_LT(outcome.metrics.mean_reward, 0.0);
  // Ten equally likely bins per dimension: ln 10, up to sampling noise over ~1000 actions.
  EXPECT_NEAR(outcome.metrics.action_entropy, std::log(10.0), 0.02);

  std::vector<float> actions(8);  // 4 rows of 2 throttles
  random->act(std::vector<float>(32), 4, store::PolicyMode::kDeterministic, {}, actions);
  for (float a : actions) {
    EXPECT_GE(a, -1.0f);
    EXPECT_LE(a, 1.0f);
  }
}

TEST(BuiltinPoliciesTest, RandomActionsFollowTheEpisodeSeedNotTheRow) {
  auto policy = builtin("random", "Acrobot-v1", {}, 5);
  const std::vector<float> observations(24);  // 4 rows of Acrobot's 6 numbers
  std::vector<std::int64_t> first(4), second(4);
  std::vector<std::int64_t> at_row_zero, at_row_three;
  for (int step = 0; step < 20; ++step) {
    if (step == 0) {
      policy->begin_episode(0, 42);
      policy->begin_episode(3, 7);
    }
    policy->act(observations, 4, store::PolicyMode::kStochastic, first, {});
    at_row_zero.push_back(first[0]);
  }
  for (int step = 0; step < 20; ++step) {
    if (step == 0) {
      policy->begin_episode(3, 42);
      policy->begin_episode(0, 7);
    }
    policy->act(observations, 4, store::PolicyMode::kStochastic, second, {});
    at_row_three.push_back(second[3]);
  }
  EXPECT_EQ(at_row_zero, at_row_three);
  // Another policy seed gives other actions for the same episode seed.
  auto other = builtin("random", "Acrobot-v1", {}, 6);
  other->begin_episode(0, 42);
  std::vector<std::int64_t> other_actions;
  for (int step = 0; step < 20; ++step) {
    other->act(observations, 1, store::PolicyMode::kStochastic, first, {});
    other_actions.push_back(first[0]);
  }
  EXPECT_NE(other_actions, at_row_zero);
}

TEST(BuiltinPoliciesTest, ErrorsNameWhatExists) {
  auto acrobot = make_builtin_policy("heuristic", spec_of("Acrobot-v1"), 0);
  ASSERT_FALSE(acrobot.ok());
  EXPECT_EQ(acrobot.status().message(),
            "no heuristic for Acrobot-v1; heuristics exist for CartPole-v1, LunarLander-v3, "
            "LunarLanderContinuous-v3");
  auto unknown = make_builtin_policy("greedy", spec_of("CartPole-v1"), 0);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "unknown built-in policy 'greedy' (available: random, heuristic)");
  env::EnvSpec unbounded = spec_of("Pendulum-v1");
  const double inf = std::numeric_limits<double>::infinity();
  unbounded.action_space = env::Space::box({-inf}, {inf});
  auto random = make_builtin_policy("random", unbounded, 0);
  ASSERT_FALSE(random.ok());
  EXPECT_NE(random.status().message().find("finite action bounds"), std::string::npos);
}

}  // namespace
}  // namespace tars::eval
