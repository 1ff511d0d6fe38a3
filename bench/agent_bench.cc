// Agents through the real code paths (issue 3's micro targets), on CartPole-v1 with 64-64 nets:
// - act for one observation (target <= 1 us; Stable-Baselines3's predict takes ~215 us here);
// - one PPO iteration: a 256-step rollout (8 envs x 32) plus one epoch on a 256-sample minibatch;
// - one DQN step with an update on 64 samples (train_freq 1, gradient_steps 1).
// Those two include environment steps and acting, so they bound the update time from above; the
// updates alone are isolated by difference: the same run with 11 epochs (gradient steps) and with
// 1, the time between them divided by 10, so rollouts, acting and set-up cancel out:
// - a PPO update: one epoch on one 256-sample minibatch;
// - a DQN update on 64 samples.
#include <benchmark/benchmark.h>

#include <chrono>
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

// Seconds of `run(b)` minus `run(a)`, divided by `extra_updates`: the cost of one update.
template <typename Run>
double per_extra_update(Setup& a, Setup& b, int extra_updates, const Run& run) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  run(a);
  const auto middle = Clock::now();
  run(b);
  const auto end = Clock::now();
  return std::chrono::duration<double>((end - middle) - (middle - start)).count() / extra_updates;
}

void ppo_update_256(benchmark::State& state) {
  auto ppo = [](const char* epochs) {
    return make("ppo",
                {{"n_envs", "8"}, {"n_steps", "32"}, {"batch_size", "256"}, {"n_epochs", epochs}},
                8);
  };
  Setup one = ppo("1");
  Setup eleven = ppo("11");
  for (auto _ : state) {
    state.SetIterationTime(per_extra_update(one, eleven, 10, [&](Setup& setup) {
      if (!setup.agent->learn(*setup.envs, 256, {}).ok()) state.SkipWithError("learn failed");
    }));
  }
  state.SetLabel("one epoch on a 256-sample minibatch, (11 epochs - 1 epoch) / 10");
}

void dqn_update_64(benchmark::State& state) {
  auto dqn = [](const char* gradient_steps) {
    Setup setup = make("dqn",
                       {{"batch_size", "64"},
                        {"train_freq", "1"},
                        {"gradient_steps", gradient_steps},
                        {"learning_starts", "64"},
                        {"buffer_size", "100000"}},
                       1);
    if (!setup.agent->learn(*setup.envs, 1000, {}).ok()) std::abort();
    return setup;
  };
  Setup one = dqn("1");
  Setup eleven = dqn("11");
  constexpr int kSteps = 100;
  for (auto _ : state) {
    state.SetIterationTime(per_extra_update(one, eleven, 10 * kSteps, [&](Setup& setup) {
      if (!setup.agent->learn(*setup.envs, kSteps, {}).ok()) state.SkipWithError("learn failed");
    }));
  }
  state.SetLabel("one update on 64 samples, (11 gradient steps - 1) / 10 per env step");
}

}  // namespace

BENCHMARK(ppo_act_one_observation);
// Fixed iterations: the reported (manual) time is a small part of what each iteration runs.
BENCHMARK(ppo_update_256)->UseManualTime()->Iterations(300)->Unit(benchmark::kMicrosecond);
BENCHMARK(dqn_update_64)->UseManualTime()->Iterations(30)->Unit(benchmark::kMicrosecond);
BENCHMARK(ppo_iteration_256)->Unit(benchmark::kMicrosecond);
BENCHMARK(dqn_step_with_update_64)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
