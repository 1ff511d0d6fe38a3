// Agents through the real code paths (issue 3's micro targets), on CartPole-v1 with 64-64 nets:
// - act for one observation (target <= 1 us; Stable-Baselines3's predict takes ~215 us here);
// - one PPO iteration: a 256-step rollout (8 envs x 32) plus one epoch on a 256-sample minibatch;
// - one DQN step with an update on 64 samples (train_freq 1, gradient_steps 1).
// The last two include environment steps and acting, so they bound the update time from above.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tars/env/vector_env.h"
#include "tars/rl/algorithms.h"

namespace {

using Assignments = std::vector<std::pair<std::string, std::string>>;

struct Setup {
  std::unique_ptr<tars::env::VectorEnv> envs;
  std::unique_ptr<tars::rl::Agent> agent;
};

Setup make(const std::string& algorithm, const Assignments& assignments, int n_envs) {
  auto h = tars::rl::default_hyperparameters(algorithm);
  if (!h.ok() || !h->set_all(assignments).ok()) std::abort();
  tars::env::VectorEnvOptions options;
  options.num_envs = n_envs;
  auto envs = tars::env::VectorEnv::make("CartPole-v1", {}, options);
  if (!envs.ok() || !(*envs)->reset(0).ok()) std::abort();
  auto agent = tars::rl::make_agent(algorithm, (*envs)->spec(), *h, 0);
  if (!agent.ok()) std::abort();
  return {std::move(*envs), std::move(*agent)};
}

void ppo_act_one_observation(benchmark::State& state) {
  Setup setup = make("ppo", {}, 1);
  const std::vector<float> observation = {0.01f, -0.02f, 0.03f, 0.04f};
  std::vector<std::int64_t> action(1);
  std::vector<float> unused;
  for (auto _ : state) {
    setup.agent->act(observation, 1, true, action, unused);
    benchmark::DoNotOptimize(action.data());
  }
}

void ppo_iteration_256(benchmark::State& state) {
  Setup setup = make(
      "ppo", {{"n_envs", "8"}, {"n_steps", "32"}, {"batch_size", "256"}, {"n_epochs", "1"}}, 8);
  for (auto _ : state) {
    if (!setup.agent->learn(*setup.envs, 256, {}).ok()) state.SkipWithError("learn failed");
  }
}

void dqn_step_with_update_64(benchmark::State& state) {
  Setup setup = make("dqn",
                     {{"batch_size", "64"},
                      {"train_freq", "1"},
                      {"gradient_steps", "1"},
                      {"learning_starts", "64"},
                      {"buffer_size", "100000"}},
                     1);
  if (!setup.agent->learn(*setup.envs, 1000, {}).ok()) std::abort();  // fill past learning_starts
  for (auto _ : state) {
    if (!setup.agent->learn(*setup.envs, 1000, {}).ok()) state.SkipWithError("learn failed");
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetLabel("per learn(1000 steps); items/s = steps/s");
}

}  // namespace

BENCHMARK(ppo_act_one_observation);
BENCHMARK(ppo_iteration_256)->Unit(benchmark::kMicrosecond);
BENCHMARK(dqn_step_with_update_64)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
