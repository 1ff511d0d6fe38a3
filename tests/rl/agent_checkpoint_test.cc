// Whole agents through checkpoint directories (save_agent / restore_agent): every algorithm's
// training state and replay buffer come back bit for bit, learning continues exactly as it would
// have without the checkpoint, and mismatched or corrupt states are refused by name.
#include "tars/rl/agent_checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tars/env/registry.h"
#include "tars/rl/algorithms.h"
#include "temp_dir.h"
#include "test_agents.h"

namespace tars::rl {
namespace {

using ::testing::HasSubstr;
using Assignments = std::vector<std::pair<std::string, std::string>>;

struct Case {
  std::string name;
  std::string algorithm;
  std::string env_id;
  Assignments settings;  // small networks and warm-ups, so that a few hundred steps train
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

const Assignments kOffPolicy = {{"buffer_size", "2000"}, {"learning_starts", "100"}};

std::vector<Case> cases() {
  Assignments dqn = kOffPolicy;
  dqn.insert(dqn.end(), {{"net_arch", "tiny"},
                         {"target_update_interval", "50"},
                         {"exploration_fraction", "0.5"},
                         {"exploration_decay", "0.9"}});
  Assignments dqn_per = dqn;
  dqn_per.insert(dqn_per.end(),
                 {{"prioritized_replay", "true"}, {"double_q", "true"}, {"dueling", "true"}});
  Assignments ddpg = kOffPolicy;
  ddpg.insert(ddpg.end(), {{"net_arch", "small"},
                           {"batch_size", "32"},
                           {"noise_type", "ornstein-uhlenbeck"},
                           {"noise_std", "0.3"}});
  Assignments td3 = kOffPolicy;
  td3.insert(td3.end(), {{"net_arch", "small"}, {"batch_size", "32"}, {"noise_type", "normal"}});
  return {
      {"ppo",
       "ppo",
       "CartPole-v1",
       {{"n_steps", "32"},
        {"batch_size", "16"},
        {"n_epochs", "2"},
        {"net_arch", "tiny"},
        {"learning_rate", "lin_0.001"},
        {"clip_range", "lin_0.2"}}},
      {"a2c", "a2c", "CartPole-v1", {{"n_steps", "5"}, {"learning_rate", "lin_0.0007"}}},
      {"a2c_adam_box", "a2c", "Pendulum-v1", {{"n_steps", "5"}, {"use_rms_prop", "false"}}},
      {"dqn", "dqn", "CartPole-v1", dqn},
      {"dqn_prioritized", "dqn", "CartPole-v1", dqn_per},
      {"ddpg", "ddpg", "Pendulum-v1", ddpg},
      {"td3", "td3", "Pendulum-v1", td3},
  };
}

env::EnvSpec spec_of(const std::string& env_id) {
  auto env = env::make(env_id, {});
  EXPECT_TRUE(env.ok()) << env.status().to_string();
  return (*env)->spec();
}

Hyperparameters hyperparameters(const Case& c) {
  auto h = default_hyperparameters(c.algorithm);
  EXPECT_TRUE(h.ok());
  const core::Status set = h->set_all(c.settings);
  EXPECT_TRUE(set.ok()) << set.to_string();
  return *h;
}

std::unique_ptr<Agent> make(const Case& c, const Hyperparameters& h, std::uint64_t seed) {
  auto agent = make_agent(c.algorithm, spec_of(c.env_id), h, seed);
  EXPECT_TRUE(agent.ok()) << agent.status().to_string();
  return std::move(*agent);
}

bool same_tensors(const std::vector<nn::StoredTensor>& a, const std::vector<nn::StoredTensor>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].shape != b[i].shape || a[i].data != b[i].data) return false;
  }
  return true;
}

// Weights, training state (JSON text and tensors) and replay buffer are identical.
void expect_same_agent(const Agent& a, const Agent& b) {
  EXPECT_TRUE(same_tensors(a.tensors(), b.tensors()));
  const TrainingState state_a = a.training_state();
  const TrainingState state_b = b.training_state();
  EXPECT_EQ(state_a.json, state_b.json);
  EXPECT_TRUE(same_tensors(state_a.tensors, state_b.tensors));
  const auto replay_a = a.replay_buffer();
  const auto replay_b = b.replay_buffer();
  ASSERT_EQ(replay_a.has_value(), replay_b.has_value());
  if (replay_a) {
    EXPECT_TRUE(same_tensors(replay_a->tensors, replay_b->tensors));
    EXPECT_EQ(replay_a->metadata, replay_b->metadata);
  }
}

// Saves `agent` (with its replay buffer) and restores it into a fresh agent of another seed.
std::unique_ptr<Agent> round_trip(const Case& c, const Agent& agent,
                                  const tars::test::TempDir& dir) {
  const auto path = dir.path() / "ckpt";
  auto saved = save_agent(path, agent, {}, /*with_replay_buffer=*/true);
  EXPECT_TRUE(saved.ok()) << saved.status().to_string();
  auto checkpoint = load_checkpoint(path);
  EXPECT_TRUE(checkpoint.ok()) << checkpoint.status().to_string();
  auto h = default_hyperparameters(c.algorithm);
  EXPECT_TRUE(apply_checkpoint_hyperparameters(checkpoint->metadata, *h).ok());
  std::unique_ptr<Agent> restored = make(c, *h, 99);
  const core::Status status = restore_agent(path, *checkpoint, *restored);
  EXPECT_TRUE(status.ok()) << status.to_string();
  return restored;
}

// Random draws of the agent: sampled actions (PPO, A2C, DQN's ε-greedy) or exploring ones
// with noise (DDPG, TD3).
std::vector<double> draws(Agent& agent) {
  const env::EnvSpec& spec = agent.env_spec();
  const std::vector<float> observation(spec.observation_space.flat_size(), 0.1f);
  std::vector<double> out;
  for (int k = 0; k < 20; ++k) {
    std::int64_t discrete = 0;
    std::vector<float> continuous(spec.action_space.is_discrete() ? 0 : 1);
    if (agent.algorithm() == "ddpg" || agent.algorithm() == "td3") {
      EXPECT_TRUE(agent.explore(observation, discrete, continuous).ok());
    } else {
      agent.act(observation, 1, /*deterministic=*/false, std::span(&discrete, 1), continuous);
    }
    out.push_back(continuous.empty() ? static_cast<double>(discrete) : continuous[0]);
  }
  return out;
}

// An environment an agent learns from online, continued across calls.
class OnlineEnv {
 public:
  OnlineEnv(const std::string& env_id, std::uint64_t seed) {
    auto env = env::make(env_id, {});
    EXPECT_TRUE(env.ok());
    env_ = std::move(*env);
    auto first = env_->reset(seed);
    EXPECT_TRUE(first.ok());
    observation_.assign(first->begin(), first->end());
  }

  // explore → step → observe → end_episode (and reset) at each episode end.
  void run(Agent& agent, int steps) {
    const bool discrete = env_->spec().action_space.is_discrete();
    std::vector<float> action(discrete ? 0 : env_->spec().action_space.flat_size());
    for (int t = 0; t < steps; ++t) {
      std::int64_t discrete_action = 0;
      ASSERT_TRUE(agent.explore(observation_, discrete_action, action).ok());
      auto result =
          discrete ? env_->step(discrete_action) : env_->step(std::span<const float>(action));
      ASSERT_TRUE(result.ok());
      const core::Status observed = agent.observe({.observation = observation_,
                                                   .discrete_action = discrete_action,
                                                   .continuous_action = action,
                                                   .reward = result->reward,
                                                   .next_observation = env_->observation(),
                                                   .terminated = result->terminated,
                                                   .truncated = result->truncated});
      ASSERT_TRUE(observed.ok()) << observed.to_string();
      if (result->terminated || result->truncated) {
        agent.end_episode();
        auto next = env_->reset();
        ASSERT_TRUE(next.ok());
        observation_.assign(next->begin(), next->end());
      } else {
        observation_.assign(env_->observation().begin(), env_->observation().end());
      }
    }
  }

 private:
  std::unique_ptr<env::Env> env_;
  std::vector<float> observation_;
};

class AgentCheckpointTest : public ::testing::TestWithParam<Case> {};

// (a) Save → load restores optimizer moments, counters, RNG, schedules and buffers; (c) learn()
// then continues bit for bit as in the original agent, which a weights-only restore does not.
TEST_P(AgentCheckpointTest, RestoresEverythingAndLearningContinuesIdentically) {
  const Case& c = GetParam();
  const Hyperparameters h = hyperparameters(c);
  std::unique_ptr<Agent> original = make(c, h, 7);
  auto envs = test::vector_env(c.env_id, 1, 7);
  ASSERT_TRUE(original->learn(*envs, 600, {}).ok());
  tars::test::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::unique_ptr<Agent> restored = round_trip(c, *original, dir);
  expect_same_agent(*original, *restored);
  const std::int64_t steps = original->progress().steps;  // PPO: whole rollouts, so 608
  EXPECT_GE(steps, 600);
  EXPECT_EQ(restored->progress().steps, steps);
  EXPECT_EQ(draws(*original), draws(*restored));

  std::unique_ptr<Agent> weights_only = make(c, h, 99);
  ASSERT_TRUE(weights_only->load_tensors(original->tensors()).ok());
  for (Agent* agent : {original.get(), restored.get(), weights_only.get()}) {
    auto more = test::vector_env(c.env_id, 1, 8);
    ASSERT_TRUE(agent->learn(*more, 400, {}).ok());
  }
  expect_same_agent(*original, *restored);
  EXPECT_GE(restored->progress().steps, steps + 400);
  EXPECT_FALSE(same_tensors(original->tensors(), weights_only->tensors()));
}

// (c) Online learning (observe / explore, mid-episode and mid-rollout): n steps, save, restore
// into another agent, n more steps is the same as 2n steps in one agent.
TEST_P(AgentCheckpointTest, OnlineResumeIsExact) {
  const Case& c = GetParam();
  const Hyperparameters h = hyperparameters(c);
  constexpr int kHalf = 333;
  std::unique_ptr<Agent> whole = make(c, h, 5);
  OnlineEnv whole_env(c.env_id, 3);
  whole_env.run(*whole, 2 * kHalf);

  std::unique_ptr<Agent> first = make(c, h, 5);
  OnlineEnv env(c.env_id, 3);
  env.run(*first, kHalf);
  tars::test::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::unique_ptr<Agent> second = round_trip(c, *first, dir);
  env.run(*second, kHalf);
  expect_same_agent(*whole, *second);
  EXPECT_EQ(second->progress().steps, 2 * kHalf);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, AgentCheckpointTest, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

Case dqn_case() { return cases()[3]; }

// A corrupt training state is refused naming every bad field and tensor; nothing changes.
TEST(AgentCheckpoint, CorruptStateIsRefusedByNameAndChangesNothing) {
  const Case c = dqn_case();
  std::unique_ptr<Agent> agent = make(c, hyperparameters(c), 1);
  OnlineEnv env(c.env_id, 1);
  env.run(*agent, 200);
  const TrainingState good = agent->training_state();

  TrainingState bad = good;
  auto root = nlohmann::json::parse(bad.json);
  root["steps"] = "many";
  root.erase("n_calls");
  root["rng"]["inc"] = "0x2";
  root["optimizer"]["lr"] = true;
  bad.json = root.dump();
  bad.tensors.front().shape = {1, 2};
  bad.tensors.push_back({"optimizer.extra", {1}, std::vector<float>{0}});
  std::unique_ptr<Agent> target = make(c, hyperparameters(c), 2);
  const TrainingState before = target->training_state();
  const core::Status status = target->load_training_state(bad);
  ASSERT_FALSE(status.ok());
  for (const char* part : {"'steps' must be a non-negative integer", "missing 'n_calls'",
                           "'rng.inc' must be odd", "'optimizer.lr' must be a number",
                           "tensor 'optimizer.q_net.layers.0.weight.exp_avg': "
                           "expected shape [64, 4], the state has [1, 2]",
                           "unexpected tensor 'optimizer.extra'"}) {
    EXPECT_THAT(status.message(), HasSubstr(part));
  }
  EXPECT_EQ(target->training_state().json, before.json);
  EXPECT_TRUE(same_tensors(target->training_state().tensors, before.tensors));

  TrainingState not_json = good;
  not_json.json = "{steps";
  EXPECT_THAT(target->load_training_state(not_json).message(),
              HasSubstr("the training state is not a JSON object"));
  ASSERT_TRUE(target->load_training_state(good).ok());
  EXPECT_EQ(target->training_state().json, good.json);
}

// A state or buffer of another shape (architecture, algorithm, buffer size, kind of replay) is
// refused by name.
TEST(AgentCheckpoint, MismatchedStatesAndBuffersAreRefusedByName) {
  Case c = dqn_case();
  std::unique_ptr<Agent> dqn = make(c, hyperparameters(c), 1);
  OnlineEnv env(c.env_id, 1);
  env.run(*dqn, 200);

  Hyperparameters other_size = hyperparameters(c);
  ASSERT_TRUE(other_size.set("buffer_size", "3000").ok());
  auto replay = dqn->replay_buffer();
  ASSERT_TRUE(replay.has_value());
  EXPECT_THAT(make(c, other_size, 2)->load_replay_buffer(*replay).message(),
              HasSubstr("capacity 2000 differs from this buffer's 3000 (buffer_size)"));
  Hyperparameters prioritized = hyperparameters(c);
  ASSERT_TRUE(prioritized.set("prioritized_replay", "true").ok());
  EXPECT_THAT(make(c, prioritized, 2)->load_replay_buffer(*replay).message(),
              HasSubstr("missing metadata 'max_priority'"));
  auto per_replay = make(c, prioritized, 2)->replay_buffer();
  EXPECT_THAT(make(c, hyperparameters(c), 2)->load_replay_buffer(*per_replay).message(),
              HasSubstr("unexpected tensor 'priorities'"));

  Hyperparameters medium = hyperparameters(c);
  ASSERT_TRUE(medium.set("net_arch", "medium").ok());
  EXPECT_THAT(make(c, medium, 2)->load_training_state(dqn->training_state()).message(),
              HasSubstr("expected shape [256, 4], the state has [64, 4]"));

  const Case td3 = cases()[6];
  const Case ddpg = cases()[5];
  EXPECT_THAT(make(ddpg, hyperparameters(ddpg), 2)
                  ->load_training_state(make(td3, hyperparameters(td3), 2)->training_state())
                  .message(),
              HasSubstr("unexpected tensor 'optimizer.critic.qf1.layers.0.weight.exp_avg'"));
  const Case ppo = cases()[0];
  EXPECT_THAT(make(ppo, hyperparameters(ppo), 2)->load_replay_buffer(*replay).message(),
              HasSubstr("ppo has no replay buffer"));
}

// A version-1 checkpoint (weights only) restores the weights and leaves the training state fresh.
TEST(AgentCheckpoint, VersionOneRestoresTheWeightsOnly) {
  const Case c = dqn_case();
  std::unique_ptr<Agent> trained = make(c, hyperparameters(c), 1);
  OnlineEnv env(c.env_id, 1);
  env.run(*trained, 300);
  tars::test::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  CheckpointMetadata metadata;
  metadata.algorithm = "dqn";
  metadata.env_id = c.env_id;
  ASSERT_TRUE(save_checkpoint(dir.path(), metadata, trained->tensors()).ok());
  auto checkpoint = load_checkpoint(dir.path());
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_FALSE(checkpoint->training_state.has_value());
  std::unique_ptr<Agent> restored = make(c, hyperparameters(c), 2);
  const std::string fresh_state = restored->training_state().json;
  ASSERT_TRUE(restore_agent(dir.path(), *checkpoint, *restored).ok());
  EXPECT_TRUE(same_tensors(restored->tensors(), trained->tensors()));
  EXPECT_EQ(restored->training_state().json, fresh_state);
}

}  // namespace
}  // namespace tars::rl
