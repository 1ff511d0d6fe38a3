#include "tars/env/vector_env.h"

#include <gtest/gtest.h>

#include <vector>

#include "tars/env/registry.h"

namespace tars::env {
namespace {

std::unique_ptr<VectorEnv> make_vector(std::string_view id, int num_envs, AutoresetMode mode,
                                       int threads = 1,
                                       std::optional<int> max_steps = std::nullopt) {
  VectorEnvOptions options;
  options.num_envs = num_envs;
  options.autoreset_mode = mode;
  options.threads = threads;
  options.max_episode_steps = max_steps;
  auto made = VectorEnv::make(id, {}, options);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return std::move(*made);
}

std::unique_ptr<Env> make_single(std::string_view id, std::optional<int> max_steps = std::nullopt) {
  auto made = make(id, {}, max_steps);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return std::move(*made);
}

std::vector<float> to_vector(std::span<const float> values) {
  return {values.begin(), values.end()};
}

// Deterministic, varied actions: copy i at step t pushes (t * 7 + i * 3) % 5 < 2 ? left : right.
std::vector<std::int64_t> scripted_actions(int step, int copies) {
  std::vector<std::int64_t> actions(copies);
  for (int i = 0; i < copies; ++i) actions[i] = (step * 7 + i * 3) % 5 < 2 ? 0 : 1;
  return actions;
}

TEST(VectorEnvTest, CopiesAreSeededLikeGymnasium) {
  auto envs = make_vector("CartPole-v1", 4, AutoresetMode::kSameStep);
  ASSERT_TRUE(envs->reset(10).ok());
  for (int i = 0; i < 4; ++i) {
    auto single = make_single("CartPole-v1");
    auto observation = single->reset(10 + i);
    ASSERT_TRUE(observation.ok());
    EXPECT_EQ(to_vector(envs->observation(i)), to_vector(*observation)) << "copy " << i;
  }
}

// Replays every copy on its own single env, resetting it (unseeded) when an episode ends, and
// checks the vector env reports the same rewards, flags and observations in same-step mode.
TEST(VectorEnvTest, SameStepAutoresetKeepsFinalObservation) {
  constexpr int kCopies = 3;
  auto envs = make_vector("CartPole-v1", kCopies, AutoresetMode::kSameStep);
  std::vector<std::unique_ptr<Env>> singles;
  ASSERT_TRUE(envs->reset(0).ok());
  for (int i = 0; i < kCopies; ++i) {
    singles.push_back(make_single("CartPole-v1"));
    ASSERT_TRUE(singles.back()->reset(i).ok());
  }
  int episodes_ended = 0;
  for (int step = 0; step < 400; ++step) {
    const std::vector<std::int64_t> actions = scripted_actions(step, kCopies);
    ASSERT_TRUE(envs->step(actions).ok());
    for (int i = 0; i < kCopies; ++i) {
      auto result = singles[i]->step(actions[i]);
      ASSERT_TRUE(result.ok());
      EXPECT_EQ(envs->rewards()[i], result->reward);
      EXPECT_EQ(envs->terminated()[i] != 0, result->terminated);
      EXPECT_EQ(envs->truncated()[i] != 0, result->truncated);
      const bool done = result->terminated || result->truncated;
      ASSERT_EQ(envs->has_final_observation(i), done);
      if (!done) {
        EXPECT_EQ(to_vector(envs->observation(i)), to_vector(singles[i]->observation()));
        continue;
      }
      ++episodes_ended;
      EXPECT_EQ(to_vector(envs->final_observation(i)), to_vector(singles[i]->observation()));
      auto reset = singles[i]->reset();
      ASSERT_TRUE(reset.ok());
      EXPECT_EQ(to_vector(envs->observation(i)), to_vector(*reset));
    }
  }
  EXPECT_GT(episodes_ended, 5);  // the scripted policy drops the pole regularly
}

TEST(VectorEnvTest, NextStepAutoresetReturnsResetObservationOneStepLater) {
  auto envs = make_vector("CartPole-v1", 1, AutoresetMode::kNextStep);
  auto single = make_single("CartPole-v1");
  ASSERT_TRUE(envs->reset(5).ok());
  ASSERT_TRUE(single->reset(5).ok());
  const std::vector<std::int64_t> push_right = {1};
  bool ended = false;
  for (int step = 0; step < 500 && !ended; ++step) {
    ASSERT_TRUE(envs->step(push_right).ok());
    auto result = single->step(1);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(to_vector(envs->observation(0)), to_vector(single->observation()));
    EXPECT_FALSE(envs->has_final_observation(0));
    ended = result->terminated;
  }
  ASSERT_TRUE(ended);
  // The next step ignores the action (an out-of-episode push) and resets.
  ASSERT_TRUE(envs->step(push_right).ok());
  auto reset = single->reset();
  ASSERT_TRUE(reset.ok());
  EXPECT_EQ(to_vector(envs->observation(0)), to_vector(*reset));
  EXPECT_EQ(envs->rewards()[0], 0.0);
  EXPECT_EQ(envs->terminated()[0], 0);
  EXPECT_EQ(envs->truncated()[0], 0);
}

TEST(VectorEnvTest, TruncationKeepsFinalObservationForBootstrapping) {
  auto envs = make_vector("Pendulum-v1", 2, AutoresetMode::kSameStep, 1, 5);
  ASSERT_TRUE(envs->reset(3).ok());
  const std::vector<float> torques = {0.5f, -0.5f};
  for (int step = 1; step <= 5; ++step) {
    ASSERT_TRUE(envs->step(torques).ok());
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(envs->truncated()[i] != 0, step == 5);
      EXPECT_EQ(envs->terminated()[i], 0);
      EXPECT_EQ(envs->has_final_observation(i), step == 5);
    }
  }
  EXPECT_NE(to_vector(envs->final_observation(0)), to_vector(envs->observation(0)));
}

TEST(VectorEnvTest, ThreadedMatchesSynchronous) {
  for (AutoresetMode mode : {AutoresetMode::kSameStep, AutoresetMode::kNextStep}) {
    auto sync = make_vector("CartPole-v1", 8, mode, 1);
    auto threaded = make_vector("CartPole-v1", 8, mode, 2);
    ASSERT_TRUE(sync->reset(42).ok());
    ASSERT_TRUE(threaded->reset(42).ok());
    for (int step = 0; step < 1000; ++step) {
      const std::vector<std::int64_t> actions = scripted_actions(step, 8);
      ASSERT_TRUE(sync->step(actions).ok());
      ASSERT_TRUE(threaded->step(actions).ok());
      ASSERT_EQ(to_vector(sync->observations()), to_vector(threaded->observations()));
      ASSERT_EQ(std::vector<double>(sync->rewards().begin(), sync->rewards().end()),
                std::vector<double>(threaded->rewards().begin(), threaded->rewards().end()));
    }
  }
}

TEST(VectorEnvTest, RejectsBadActionsWithoutStepping) {
  auto envs = make_vector("CartPole-v1", 3, AutoresetMode::kSameStep);
  ASSERT_TRUE(envs->reset(0).ok());
  const std::vector<float> before = to_vector(envs->observations());

  core::Status status = envs->step(std::vector<std::int64_t>{0, 1});
  EXPECT_EQ(status.code(), core::ErrorCode::kInvalidArgument);
  EXPECT_NE(status.message().find("expected 3 actions"), std::string::npos) << status.message();

  status = envs->step(std::vector<std::int64_t>{0, 7, 1});
  EXPECT_NE(status.message().find("env 1"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find('7'), std::string::npos) << status.message();

  status = envs->step(std::vector<float>{0.f, 1.f, 0.f});
  EXPECT_NE(status.message().find("integer"), std::string::npos) << status.message();
  EXPECT_EQ(to_vector(envs->observations()), before);
}

TEST(VectorEnvTest, RejectsStepBeforeResetAndBadOptions) {
  auto envs = make_vector("CartPole-v1", 2, AutoresetMode::kSameStep);
  core::Status status = envs->step(std::vector<std::int64_t>{0, 0});
  EXPECT_EQ(status.code(), core::ErrorCode::kFailedPrecondition);

  VectorEnvOptions options;
  options.num_envs = 0;
  EXPECT_NE(VectorEnv::make("CartPole-v1", {}, options).status().message().find("num_envs"),
            std::string::npos);
  options.num_envs = 2;
  options.threads = 3;
  EXPECT_NE(VectorEnv::make("CartPole-v1", {}, options).status().message().find("threads"),
            std::string::npos);
  options.threads = 1;
  EXPECT_EQ(VectorEnv::make("NoSuchEnv-v0", {}, options).status().code(),
            core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tars::env
