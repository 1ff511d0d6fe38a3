// The evaluator: episode i is the single-env episode reset with seed + i, whatever the number of
// copies; budgets, cancellation and bad input are errors that say what happened.
#include "tars/eval/evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <atomic>

#include "tars/env/box2d/lunar_lander_heuristic.h"
#include "tars/env/registry.h"
#include "tars/eval/builtin_policies.h"

namespace tars::eval {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Policy> builtin(std::string_view name, std::string_view id,
                                std::uint64_t seed = 0) {
  auto env = env::make(id);
  EXPECT_TRUE(env.ok()) << env.status().to_string();
  auto policy = make_builtin_policy(name, (*env)->spec(), seed);
  EXPECT_TRUE(policy.ok()) << policy.status().to_string();
  return policy.ok() ? std::move(*policy) : nullptr;
}

EvaluationOutcome run(Policy& policy, std::string_view id, const EvaluatorOptions& options) {
  auto outcome = evaluate(policy, id, {}, options);
  EXPECT_TRUE(outcome.ok()) << outcome.status().to_string();
  return outcome.ok() ? std::move(*outcome) : EvaluationOutcome{};
}

// The error of an evaluation that must fail.
core::Status failure(Policy& policy, std::string_view id, const EvaluatorOptions& options) {
  auto outcome = evaluate(policy, id, {}, options);
  EXPECT_FALSE(outcome.ok());
  return outcome.status();
}

TEST(EvaluatorTest, EpisodeIIsTheSingleEnvEpisodeSeededWithSeedPlusI) {
  auto policy = builtin("heuristic", "LunarLander-v3");
  const EvaluationOutcome outcome =
      run(*policy, "LunarLander-v3", {.episodes = 5, .seed = 40, .num_envs = 3});
  auto env = env::make("LunarLander-v3");
  ASSERT_TRUE(env.ok());
  ASSERT_EQ(outcome.episodes.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE((*env)->reset(40 + i).ok());
    double total = 0.0;
    std::int64_t steps = 0;
    while (!(*env)->needs_reset()) {
      auto result = (*env)->step(env::lunar_lander_heuristic_discrete((*env)->observation()));
      ASSERT_TRUE(result.ok());
      total += result->reward;
      ++steps;
    }
    const store::EpisodeRecord& episode = outcome.episodes[i];
    EXPECT_EQ(episode.episode_num, i);
    EXPECT_EQ(episode.seed, 40u + i);
    EXPECT_EQ(episode.total_reward, total) << "episode " << i;
    EXPECT_EQ(episode.steps, steps) << "episode " << i;
    EXPECT_EQ(episode.success, total >= 200.0) << "episode " << i;
  }
  EXPECT_EQ(outcome.success_threshold, 200.0);
  EXPECT_GT(outcome.duration_seconds, 0.0);
}

TEST(EvaluatorTest, ResultsDoNotDependOnTheNumberOfEnvs) {
  // A random policy over episodes of very different lengths, so copies finish out of order.
  for (std::string_view id : {"CartPole-v1", "Pendulum-v1"}) {
    SCOPED_TRACE(id);
    auto policy = builtin("random", id, 9);
    const EvaluationOutcome one = run(*policy, id, {.episodes = 12, .seed = 3, .num_envs = 1});
    const EvaluationOutcome four = run(*policy, id, {.episodes = 12, .seed = 3, .num_envs = 4});
    const EvaluationOutcome automatic = run(*policy, id, {.episodes = 12, .seed = 3});
    EXPECT_EQ(one.episodes, four.episodes);
    EXPECT_EQ(one.episodes, automatic.episodes);
    EXPECT_EQ(one.actions.counts(), four.actions.counts());
    EXPECT_EQ(one.metrics, four.metrics);
    EXPECT_EQ(one.metrics, automatic.metrics);
  }
}

TEST(EvaluatorTest, SeedsChangeTheEpisodesAndRepeatExactly) {
  auto policy = builtin("random", "CartPole-v1", 1);
  const EvaluationOutcome first = run(*policy, "CartPole-v1", {.episodes = 10, .seed = 0});
  const EvaluationOutcome again = run(*policy, "CartPole-v1", {.episodes = 10, .seed = 0});
  const EvaluationOutcome shifted = run(*policy, "CartPole-v1", {.episodes = 10, .seed = 1});
  EXPECT_EQ(first.episodes, again.episodes);
  EXPECT_NE(first.metrics, shifted.metrics);
  // Shifting the seed by one shifts the episodes by one.
  for (int i = 0; i + 1 < 10; ++i) {
    EXPECT_EQ(first.episodes[i + 1].total_reward, shifted.episodes[i].total_reward);
  }
}

TEST(EvaluatorTest, CountsEveryActionTaken) {
  auto policy = builtin("random", "Acrobot-v1");
  const EvaluationOutcome outcome = run(*policy, "Acrobot-v1", {.episodes = 3});
  std::int64_t steps = 0;
  for (const store::EpisodeRecord& episode : outcome.episodes) steps += episode.steps;
  EXPECT_EQ(outcome.actions.total(), steps);
  std::int64_t counted = 0;
  for (std::int64_t count : outcome.actions.counts()[0]) counted += count;
  EXPECT_EQ(counted, steps);
  EXPECT_EQ(outcome.actions.counts()[0].size(), 3u);  // Discrete(3)
}

TEST(EvaluatorTest, SuccessThresholds) {
  EXPECT_EQ(*success_threshold((*env::make("CartPole-v1"))->spec(), std::nullopt), 475.0);
  EXPECT_EQ(*success_threshold((*env::make("Acrobot-v1"))->spec(), std::nullopt), -100.0);
  EXPECT_EQ(*success_threshold((*env::make("MountainCar-v0"))->spec(), std::nullopt), -110.0);
  EXPECT_EQ(*success_threshold((*env::make("MountainCarContinuous-v0"))->spec(), std::nullopt),
            90.0);
  EXPECT_EQ(*success_threshold((*env::make("LunarLander-v3"))->spec(), std::nullopt), 200.0);
  const env::EnvSpec pendulum = (*env::make("Pendulum-v1"))->spec();
  EXPECT_EQ(*success_threshold(pendulum, std::nullopt), -200.0);
  EXPECT_EQ(*success_threshold(pendulum, -500.0), -500.0);
  env::EnvSpec custom;
  custom.id = "Custom-v0";
  auto none = success_threshold(custom, std::nullopt);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), core::ErrorCode::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("Custom-v0 has no reward threshold"));
}

TEST(EvaluatorTest, ThresholdOverrideDecidesSuccess) {
  auto policy = builtin("heuristic", "CartPole-v1");
  const EvaluationOutcome strict =
      run(*policy, "CartPole-v1", {.episodes = 3, .success_threshold = 501.0});
  EXPECT_EQ(strict.metrics.success_rate, 0.0);  // 500 is the most CartPole-v1 can give
  EXPECT_EQ(strict.success_threshold, 501.0);
  const EvaluationOutcome exact =
      run(*policy, "CartPole-v1", {.episodes = 3, .success_threshold = 500.0});
  EXPECT_EQ(exact.metrics.success_rate, 1.0);  // at the threshold counts
}

TEST(EvaluatorTest, ReportsEachFinishedEpisode) {
  auto policy = builtin("random", "CartPole-v1");
  std::vector<int> finished;
  std::vector<int> numbers;
  const EvaluationOutcome outcome =
      run(*policy, "CartPole-v1",
          {.episodes = 7, .num_envs = 3, .on_episode = [&](const store::EpisodeRecord& e, int n) {
             finished.push_back(n);
             numbers.push_back(e.episode_num);
           }});
  EXPECT_EQ(finished, (std::vector<int>{1, 2, 3, 4, 5, 6, 7}));
  std::sort(numbers.begin(), numbers.end());
  EXPECT_EQ(numbers, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
}

TEST(EvaluatorTest, CancellationStopsWithTheNumberOfFinishedEpisodes) {
  auto policy = builtin("heuristic", "CartPole-v1");
  std::atomic<bool> cancel{false};
  const core::Status status = failure(*policy, "CartPole-v1",
                                      {.episodes = 10,
                                       .num_envs = 1,
                                       .cancel = &cancel,
                                       .on_episode = [&](const store::EpisodeRecord&, int n) {
                                         if (n == 3) cancel = true;
                                       }});
  EXPECT_EQ(status.code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "evaluation cancelled with 3 of 10 episodes finished");

  const std::atomic<bool> already{true};
  EXPECT_EQ(failure(*policy, "CartPole-v1", {.episodes = 4, .cancel = &already}).message(),
            "evaluation cancelled with 0 of 4 episodes finished");
}

TEST(EvaluatorTest, ExceedingTheBudgetIsAnError) {
  // 200 CartPole episodes of 500 steps cannot finish in a millisecond.
  auto policy = builtin("heuristic", "CartPole-v1");
  const core::Status status =
      failure(*policy, "CartPole-v1", {.episodes = 200, .budget = std::chrono::milliseconds(1)});
  EXPECT_EQ(status.code(), core::ErrorCode::kOutOfRange);
  EXPECT_THAT(status.message(),
              ::testing::MatchesRegex("evaluation exceeded its wall-clock budget of 0.001 s with "
                                      "[0-9]+ of 200 episodes finished"));
  // A generous budget is no error.
  run(*policy, "CartPole-v1", {.episodes = 2, .budget = std::chrono::seconds(60)});
}

TEST(EvaluatorTest, RejectsBadInput) {
  auto cartpole = builtin("heuristic", "CartPole-v1");
  EXPECT_EQ(failure(*cartpole, "CartPole-v1", {.episodes = 0}).message(),
            "episodes must be positive, got 0");
  EXPECT_THAT(failure(*cartpole, "CartPole-v1", {.num_envs = -1}).message(), HasSubstr("num_envs"));
  EXPECT_THAT(failure(*cartpole, "CartPole-v1", {.budget = std::chrono::seconds(-1)}).message(),
              HasSubstr("budget"));
  EXPECT_THAT(failure(*cartpole, "Nope-v0", {}).message(),
              HasSubstr("unknown environment 'Nope-v0'"));
  EXPECT_EQ(failure(*cartpole, "Acrobot-v1", {}).message(),
            "the policy was built for CartPole-v1 (observations Box(4,) float32, actions "
            "Discrete(2)), not for Acrobot-v1 (observations Box(6,) float32, actions "
            "Discrete(3))");
  // Same observation size, other action space.
  auto lander = builtin("heuristic", "LunarLander-v3");
  EXPECT_THAT(failure(*lander, "LunarLanderContinuous-v3", {}).message(),
              HasSubstr("the policy was built for LunarLander-v3"));
}

}  // namespace
}  // namespace tars::eval
