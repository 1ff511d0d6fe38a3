// DQN learns for real (CartPole-v1, RL Zoo preset), reproduces bit for bit from a seed, follows
// SB3's schedules and target-update counting, and rejects bad input before training starts.
#include "tars/rl/dqn.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tars/core/memory.h"
#include "tars/rl/algorithms.h"
#include "tars/rl/presets.h"
#include "tars/rl/replay_buffer.h"
#include "test_agents.h"

// Counting malloc calls, as tests/nn/no_alloc_test.cc (glibc; not under the sanitizers, which
// bring their own allocator). Weak, so that another counting malloc in this test binary links
// too; the test then sees its counter stand still and skips instead of passing vacuously.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TARS_DQN_COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TARS_DQN_COUNT_MALLOC 0
#endif
#endif
#if !defined(TARS_DQN_COUNT_MALLOC) && defined(__GLIBC__)
#define TARS_DQN_COUNT_MALLOC 1
#endif

#if TARS_DQN_COUNT_MALLOC
namespace {
std::atomic<long> g_dqn_malloc_calls{0};
}  // namespace

extern "C" void* __libc_malloc(std::size_t size);                  // NOLINT
extern "C" __attribute__((weak)) void* malloc(std::size_t size) {  // NOLINT
  g_dqn_malloc_calls.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
#endif

namespace tars::rl {
namespace {

Hyperparameters dqn_defaults(const std::vector<std::pair<std::string, std::string>>& changes = {}) {
  auto h = default_hyperparameters("dqn");
  EXPECT_TRUE(h.ok()) << h.status().to_string();
  EXPECT_TRUE(h->set_all(changes).ok());
  return *h;
}

Hyperparameters zoo_cartpole() {
  auto preset = zoo_preset("dqn", "CartPole-v1");
  EXPECT_TRUE(preset.ok()) << preset.status().to_string();
  EXPECT_EQ(preset->n_timesteps, 50'000);
  return dqn_defaults(preset->hyperparameters);
}

std::unique_ptr<Agent> make(const env::EnvSpec& spec, const Hyperparameters& h,
                            std::uint64_t seed) {
  auto agent = make_agent("dqn", spec, h, seed);
  EXPECT_TRUE(agent.ok()) << agent.status().to_string();
  return agent.ok() ? std::move(*agent) : nullptr;
}

const nn::StoredTensor& tensor_named(const std::vector<nn::StoredTensor>& tensors,
                                     const std::string& name) {
  for (const nn::StoredTensor& tensor : tensors) {
    if (tensor.name == name) return tensor;
  }
  ADD_FAILURE() << "no tensor " << name;
  return tensors.front();
}

bool same_tensors(const std::vector<nn::StoredTensor>& a, const std::vector<nn::StoredTensor>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].shape != b[i].shape || a[i].data != b[i].data) return false;
  }
  return true;
}

std::vector<nn::StoredTensor> train_briefly(const Hyperparameters& h, std::uint64_t seed,
                                            int n_envs) {
  auto envs = test::vector_env("CartPole-v1", n_envs, seed);
  auto agent = make(envs->spec(), h, seed);
  if (agent == nullptr) return {};
  EXPECT_TRUE(agent->learn(*envs, 3000, {}).ok());
  return agent->tensors();
}

TEST(DqnTest, LearnsCartPoleWithZooPreset) {
  const Hyperparameters h = zoo_cartpole();
  auto envs = test::vector_env("CartPole-v1", 1, 0);
  auto agent = make(envs->spec(), h, 0);
  ASSERT_NE(agent, nullptr);
  const double before = test::eval_mean(*agent, "CartPole-v1");
  int reports = 0;
  double last_loss = 0.0;
  ASSERT_TRUE(agent
                  ->learn(*envs, 50'000,
                          [&](const LearnProgress& p) {
                            ++reports;
                            last_loss = p.metrics.at("loss");
                          })
                  .ok());
  const double after = test::eval_mean(*agent, "CartPole-v1");
  std::printf("DQN CartPole: eval return %.1f before, %.1f after 50k steps\n", before, after);
  // One report per train_freq = 256 steps; SB3 finishes the last rollout past the budget.
  EXPECT_EQ(reports, (50'000 + 255) / 256);
  EXPECT_TRUE(std::isfinite(last_loss));
  EXPECT_LT(before, 100.0);
  EXPECT_GT(after, 150.0);
}

// The configuration of T.A.R.S.'s policy agent (double DQN, dueling head, prioritized replay)
// learns CartPole too. Its final greedy policy swings more than plain DQN's with the zoo's values
// (tuned for plain DQN), so the check is the best of the evaluations every 10k steps, as RL Zoo
// keeps the best model of its EvalCallback.
TEST(DqnTest, DoubleDuelingPrioritizedLearnsCartPole) {
  Hyperparameters h = zoo_cartpole();
  ASSERT_TRUE(
      h.set_all({{"double_q", "true"}, {"dueling", "true"}, {"prioritized_replay", "true"}}).ok());
  auto envs = test::vector_env("CartPole-v1", 1, 0);
  auto agent = make(envs->spec(), h, 0);
  ASSERT_NE(agent, nullptr);
  std::int64_t next_eval = 10'000;
  double best = -1.0;
  ASSERT_TRUE(agent
                  ->learn(*envs, 50'000,
                          [&](const LearnProgress& p) {
                            if (p.steps < next_eval) return;
                            next_eval += 10'000;
                            best = std::max(best, test::eval_mean(*agent, "CartPole-v1"));
                          })
                  .ok());
  std::printf("DQN (double, dueling, PER) CartPole: best eval return %.1f in 50k steps\n", best);
  EXPECT_GT(best, 300.0);
}

// Double DQN changes only which network picks a'. With the target network copied before every
// update (C = 1 env step, one gradient step per env step) both pick the same a', so training is
// bit for bit that of plain DQN; with a lagging target network the two differ.
TEST(DqnTest, DoubleQChangesOnlyTheActionPick) {
  for (const char* interval : {"1", "500"}) {
    SCOPED_TRACE(interval);
    Hyperparameters h = dqn_defaults({{"buffer_size", "2000"},
                                      {"learning_starts", "100"},
                                      {"train_freq", "1"},
                                      {"gradient_steps", "1"},
                                      {"target_update_interval", interval}});
    const auto plain = train_briefly(h, 5, 1);
    ASSERT_TRUE(h.set("double_q", "true").ok());
    const auto double_q = train_briefly(h, 5, 1);
    ASSERT_FALSE(plain.empty());
    EXPECT_EQ(same_tensors(plain, double_q), std::string(interval) == "1");
  }
}

TEST(DqnTest, SameSeedGivesIdenticalTensors) {
  for (const char* variant : {"plain", "double-dueling-per"}) {
    SCOPED_TRACE(variant);
    Hyperparameters h = dqn_defaults({{"n_envs", "2"},
                                      {"buffer_size", "5000"},
                                      {"learning_starts", "200"},
                                      {"target_update_interval", "500"},
                                      {"batch_size", "64"}});
    if (std::string(variant) != "plain") {
      ASSERT_TRUE(
          h.set_all({{"double_q", "true"}, {"dueling", "true"}, {"prioritized_replay", "true"}})
              .ok());
    }
    const auto first = train_briefly(h, 7, 2);
    const auto second = train_briefly(h, 7, 2);
    const auto other_seed = train_briefly(h, 8, 2);
    ASSERT_FALSE(first.empty());
    EXPECT_TRUE(same_tensors(first, second));
    EXPECT_FALSE(same_tensors(first, other_seed));
  }
}

// ε follows SB3's linear schedule over the learn() budget; the metrics report it after each
// training phase.
TEST(DqnTest, ExplorationRateFollowsLinearSchedule) {
  const Hyperparameters h = dqn_defaults({{"buffer_size", "1000"},
                                          {"train_freq", "100"},
                                          {"exploration_fraction", "0.5"},
                                          {"exploration_initial_eps", "1.0"},
                                          {"exploration_final_eps", "0.1"}});
  auto envs = test::vector_env("CartPole-v1", 1, 0);
  auto agent = make(envs->spec(), h, 0);
  ASSERT_NE(agent, nullptr);
  std::vector<double> eps;
  ASSERT_TRUE(
      agent
          ->learn(*envs, 1000,
                  [&](const LearnProgress& p) { eps.push_back(p.metrics.at("exploration_rate")); })
          .ok());
  ASSERT_EQ(eps.size(), 10u);
  // After 100, 200, ... steps of 1000: 1 - 0.9 * elapsed / 0.5 until elapsed reaches 0.5.
  EXPECT_NEAR(eps[0], 1.0 - 0.9 * 0.2, 1e-12);
  EXPECT_NEAR(eps[1], 1.0 - 0.9 * 0.4, 1e-12);
  EXPECT_NEAR(eps[3], 1.0 - 0.9 * 0.8, 1e-12);
  EXPECT_NEAR(eps[4], 0.1, 1e-12);
  EXPECT_NEAR(eps[9], 0.1, 1e-12);
}

// Hard target update every target_update_interval env steps, counted per VectorEnv step as SB3:
// with 2 copies and C = 400, the copy happens at the 200th VectorEnv step.
TEST(DqnTest, TargetNetworkCopiedEveryTargetUpdateInterval) {
  const Hyperparameters h = dqn_defaults({{"n_envs", "2"},
                                          {"buffer_size", "2000"},
                                          {"learning_starts", "0"},
                                          {"train_freq", "1"},
                                          {"target_update_interval", "400"}});
  auto envs = test::vector_env("CartPole-v1", 2, 0);
  auto agent = make(envs->spec(), h, 0);
  ASSERT_NE(agent, nullptr);
  const auto initial = agent->tensors();
  const std::string name = "layers.0.weight";
  ASSERT_TRUE(agent->learn(*envs, 398, {}).ok());  // 199 VectorEnv steps
  auto now = agent->tensors();
  EXPECT_EQ(tensor_named(now, "q_net_target." + name).data,
            tensor_named(initial, "q_net_target." + name).data);
  EXPECT_NE(tensor_named(now, "q_net." + name).data, tensor_named(initial, "q_net." + name).data);
  ASSERT_TRUE(agent->learn(*envs, 2, {}).ok());  // the 200th: copy, then one more update
  now = agent->tensors();
  EXPECT_NE(tensor_named(now, "q_net_target." + name).data,
            tensor_named(initial, "q_net_target." + name).data);
}

TEST(DqnTest, CheckpointRoundTrip) {
  const Hyperparameters h = dqn_defaults({{"buffer_size", "5000"}, {"learning_starts", "100"}});
  auto envs = test::vector_env("CartPole-v1", 1, 3);
  auto trained = make(envs->spec(), h, 3);
  ASSERT_NE(trained, nullptr);
  ASSERT_TRUE(trained->learn(*envs, 2000, {}).ok());
  const auto saved = trained->tensors();
  ASSERT_EQ(saved.size(), 12u);  // q_net and q_net_target: 3 layers, weight and bias each
  EXPECT_EQ(tensor_named(saved, "q_net.layers.0.weight").shape, (std::vector<std::int64_t>{64, 4}));
  EXPECT_EQ(tensor_named(saved, "q_net.layers.2.bias").shape, (std::vector<std::int64_t>{2}));

  auto restored = make(envs->spec(), h, 99);
  ASSERT_NE(restored, nullptr);
  EXPECT_FALSE(same_tensors(restored->tensors(), saved));
  ASSERT_TRUE(restored->load_tensors(saved).ok());
  EXPECT_TRUE(same_tensors(restored->tensors(), saved));
  EXPECT_EQ(test::eval_mean(*restored, "CartPole-v1"), test::eval_mean(*trained, "CartPole-v1"));

  // A different architecture is refused by name, and nothing changes.
  auto medium =
      make(envs->spec(), dqn_defaults({{"buffer_size", "10"}, {"net_arch", "medium"}}), 0);
  ASSERT_NE(medium, nullptr);
  const auto before = medium->tensors();
  const core::Status status = medium->load_tensors(saved);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.to_string().find("q_net.layers.0.weight"), std::string::npos)
      << status.to_string();
  EXPECT_TRUE(same_tensors(medium->tensors(), before));
}

TEST(DqnTest, RejectsBoxActionSpace) {
  auto envs = test::vector_env("Pendulum-v1", 1, 0);
  auto agent = make_agent("dqn", envs->spec(), dqn_defaults(), 0);
  ASSERT_FALSE(agent.ok());
  EXPECT_NE(agent.status().to_string().find("dqn does not support Pendulum-v1's action space"),
            std::string::npos)
      << agent.status().to_string();
  // make_dqn itself refuses too, for callers that bypass the registry.
  EXPECT_FALSE(make_dqn(envs->spec(), dqn_defaults(), 0).ok());
}

TEST(DqnTest, RejectsOutOfBoundsHyperparameters) {
  Hyperparameters h = dqn_defaults();
  core::Status status = h.set("exploration_fraction", "1.5");
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.to_string().find("'exploration_fraction' must be in [0, 1], got 1.5"),
            std::string::npos)
      << status.to_string();
  EXPECT_FALSE(h.set("gradient_steps", "-2").ok());
  EXPECT_FALSE(h.set("tau", "0").ok());
  EXPECT_FALSE(h.set("gamma", "1.01").ok());
  EXPECT_FALSE(h.set("buffer_size", "0").ok());
  EXPECT_FALSE(h.set("double_q", "maybe").ok());
  EXPECT_FALSE(h.set("net_arch", "huge").ok());
  EXPECT_EQ(h.text("exploration_fraction"), "0.1");  // unchanged
}

// The replay memory is allocated when the agent is made: too large is an error, not an OOM kill.
TEST(DqnTest, ReplayMemoryTooLargeIsAnErrorUpFront) {
  const Hyperparameters h = dqn_defaults({{"buffer_size", "1000000000"}});
  const std::uint64_t needed =
      ReplayBuffer::storage_bytes({.capacity = 1'000'000'000, .observation_size = 4});
  auto available = core::available_memory_bytes();
  if (!available.ok() || *available > needed) GTEST_SKIP() << "this machine could allocate it";
  auto envs = test::vector_env("CartPole-v1", 1, 0);
  auto agent = make_agent("dqn", envs->spec(), h, 0);
  ASSERT_FALSE(agent.ok());
  EXPECT_NE(agent.status().to_string().find("replay buffer"), std::string::npos)
      << agent.status().to_string();
}

TEST(DqnTest, LiveHyperparameterChanges) {
  auto envs = test::vector_env("CartPole-v1", 1, 0);
  auto agent = make(envs->spec(), dqn_defaults({{"buffer_size", "100"}}), 0);
  ASSERT_NE(agent, nullptr);
  EXPECT_TRUE(agent->set_hyperparameters({{"exploration_final_eps", "0.01"}}).ok());
  EXPECT_EQ(agent->hyperparameters().text("exploration_final_eps"), "0.01");
  EXPECT_FALSE(agent->set_hyperparameters({{"net_arch", "medium"}}).ok());
  EXPECT_EQ(agent->hyperparameters().text("net_arch"), "small");
}

TEST(DqnTest, RejectsMismatchedVectorEnv) {
  auto envs = test::vector_env("CartPole-v1", 2, 0);
  auto agent = make(envs->spec(), dqn_defaults({{"buffer_size", "100"}}), 0);
  ASSERT_NE(agent, nullptr);
  const core::Status status = agent->learn(*envs, 100, {});
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.to_string().find("n_envs=1"), std::string::npos) << status.to_string();
}

// After a first learn() call has sized every buffer, a whole learn() call (acting, stepping,
// storing, target updates, sampling, training, PER priorities, progress) never touches the heap.
TEST(DqnTest, LearningDoesNotAllocateAfterWarmUp) {
#if !TARS_DQN_COUNT_MALLOC
  GTEST_SKIP() << "malloc counting needs glibc and no sanitizer";
#else
  {
    const long before = g_dqn_malloc_calls.load();
    void* volatile probe = std::malloc(16);
    std::free(probe);
    if (g_dqn_malloc_calls.load() == before) GTEST_SKIP() << "another malloc took precedence";
  }
  for (const char* variant : {"plain", "double-dueling-per"}) {
    SCOPED_TRACE(variant);
    Hyperparameters h = dqn_defaults({{"n_envs", "2"},
                                      {"buffer_size", "5000"},
                                      {"learning_starts", "100"},
                                      {"target_update_interval", "100"}});
    if (std::string(variant) != "plain") {
      ASSERT_TRUE(
          h.set_all({{"double_q", "true"}, {"dueling", "true"}, {"prioritized_replay", "true"}})
              .ok());
    }
    auto envs = test::vector_env("CartPole-v1", 2, 0);
    auto agent = make(envs->spec(), h, 0);
    ASSERT_NE(agent, nullptr);
    int reports = 0;
    const ProgressCallback count = [&](const LearnProgress&) { ++reports; };
    ASSERT_TRUE(agent->learn(*envs, 2000, count).ok());
    const long before = g_dqn_malloc_calls.load();
    const core::Status status = agent->learn(*envs, 2000, count);
    const long allocations = g_dqn_malloc_calls.load() - before;
    ASSERT_TRUE(status.ok());
    EXPECT_EQ(allocations, 0);
    EXPECT_EQ(reports, 2 * 2000 / (2 * 4));
  }
#endif
}

}  // namespace
}  // namespace tars::rl
