// Environment throughput for the targets on this 2-core machine:
// CartPole-v1 single env >= 20 M steps/s, LunarLander-v3 >= 100 k steps/s; VectorEnv with 8 copies
// (and 512 for CartPole) on 1 and 2 threads. Gymnasium in Python does about 0.1-0.2 M CartPole
// steps/s. ops_sim (the 4-agent simulator) >= 1 M joint steps/s.
// Actions are drawn before timing (the same path as `tars env bench`).
#include "tars/app/env_bench.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "tars/core/rng.h"
#include "tars/env/ops_sim/ops_sim.h"

namespace {

void run(benchmark::State& state, const std::string& env_id, std::int64_t steps, int num_envs,
         int threads, double target) {
  tars::app::EnvBenchRequest request;
  request.env_id = env_id;
  request.steps = steps;
  request.num_envs = num_envs;
  request.threads = threads;
  double steps_per_second = 0;
  for (auto _ : state) {
    auto result = tars::app::bench_env(request);
    if (!result.ok()) {
      state.SkipWithError(result.status().message().c_str());
      return;
    }
    steps_per_second = result->steps_per_second();
    state.SetIterationTime(result->seconds);
  }
  state.counters["steps_per_s"] = steps_per_second;
  if (target > 0) {
    state.counters["target"] = target;
    state.SetLabel(steps_per_second >= target ? "meets target" : "BELOW target");
  }
}

void cartpole_single(benchmark::State& s) { run(s, "CartPole-v1", 50'000'000, 1, 1, 20e6); }
void cartpole_vec8_t1(benchmark::State& s) { run(s, "CartPole-v1", 50'000'000, 8, 1, 0); }
void cartpole_vec8_t2(benchmark::State& s) { run(s, "CartPole-v1", 10'000'000, 8, 2, 0); }
// Threads pay off once a chunk's work outweighs the ~1 us cross-core handoff.
void cartpole_vec512_t1(benchmark::State& s) { run(s, "CartPole-v1", 50'000'000, 512, 1, 0); }
void cartpole_vec512_t2(benchmark::State& s) { run(s, "CartPole-v1", 50'000'000, 512, 2, 0); }
void lunar_single(benchmark::State& s) { run(s, "LunarLander-v3", 500'000, 1, 1, 100e3); }
void lunar_vec8_t1(benchmark::State& s) { run(s, "LunarLander-v3", 500'000, 8, 1, 0); }
void lunar_vec8_t2(benchmark::State& s) { run(s, "LunarLander-v3", 500'000, 8, 2, 100e3); }

// ops_sim (the 4-agent simulator): joint steps per second with uniformly random joint actions
// drawn before the timed loop, resetting at truncation (every 200 steps). Target >= 1 M.
void ops_sim_single(benchmark::State& state) {
  constexpr std::int64_t kSteps = 5'000'000;
  constexpr std::size_t kActions = 4096;
  auto sim = tars::env::OpsSim::create();
  if (!sim.ok()) {
    state.SkipWithError(sim.status().message().c_str());
    return;
  }
  tars::core::Generator rng(0);
  std::vector<tars::env::OpsSimAction> actions(kActions);
  for (auto& a : actions) {
    a.policy = static_cast<int>(rng.integers(0, tars::env::kOpsPolicyActions));
    a.consensus = static_cast<int>(rng.integers(0, tars::env::kOpsConsensusActions));
    a.ethical = static_cast<int>(rng.integers(0, tars::env::kOpsEthicalActions));
    a.resource = static_cast<float>(rng.random());
  }
  double steps_per_second = 0;
  for (auto _ : state) {
    std::uint64_t seed = 0;
    double reward_sum = 0;
    sim->reset(seed);
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < kSteps; ++i) {
      auto step = sim->step(actions[static_cast<std::size_t>(i) % kActions]);
      reward_sum += step->rewards[0];
      if (step->truncated) sim->reset(++seed);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    benchmark::DoNotOptimize(reward_sum);
    steps_per_second = static_cast<double>(kSteps) / seconds;
    state.SetIterationTime(seconds);
  }
  state.counters["steps_per_s"] = steps_per_second;
  state.counters["target"] = 1e6;
  state.SetLabel(steps_per_second >= 1e6 ? "meets target" : "BELOW target");
}

}  // namespace

// One timed run each: a run is already millions of steps (LunarLander: 500 k).
BENCHMARK(cartpole_single)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(cartpole_vec8_t1)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(cartpole_vec8_t2)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(cartpole_vec512_t1)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(cartpole_vec512_t2)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(lunar_single)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(lunar_vec8_t1)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(lunar_vec8_t2)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(ops_sim_single)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
