// Environment throughput for the targets on this 2-core machine:
// CartPole-v1 single env >= 20 M steps/s, LunarLander-v3 >= 100 k steps/s; VectorEnv with 8 copies
// (and 512 for CartPole) on 1 and 2 threads. Gymnasium in Python does about 0.1-0.2 M CartPole
// steps/s.
// Actions are drawn before timing (the same path as `tars env bench`).
#include "tars/app/env_bench.h"

#include <benchmark/benchmark.h>

#include <string>

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

BENCHMARK_MAIN();
