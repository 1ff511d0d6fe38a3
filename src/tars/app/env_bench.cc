#include "tars/app/env_bench.h"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "tars/core/rng.h"
#include "tars/env/registry.h"
#include "tars/env/vector_env.h"

namespace tars::app {

namespace {

// Uniform random actions for `rows` steps of `copies` envs, drawn before anything is timed and
// replayed cyclically so the timed loop does no sampling.
struct ActionPool {
  static constexpr int kRows = 1024;
  std::vector<std::int64_t> indexes;
  std::vector<float> values;
  std::size_t row_size = 0;
};

ActionPool draw_actions(const env::Space& space, int copies, std::uint64_t seed) {
  core::Generator rng(seed);
  ActionPool pool;
  if (space.is_discrete()) {
    pool.row_size = copies;
    pool.indexes.resize(ActionPool::kRows * pool.row_size);
    for (auto& index : pool.indexes) index = rng.integers(0, space.n());
    return pool;
  }
  const std::size_t dims = space.flat_size();
  pool.row_size = copies * dims;
  pool.values.resize(ActionPool::kRows * pool.row_size);
  for (std::size_t i = 0; i < pool.values.size(); ++i) {
    const std::size_t d = i % dims;
    pool.values[i] = static_cast<float>(rng.uniform(space.low()[d], space.high()[d]));
  }
  return pool;
}

using Clock = std::chrono::steady_clock;

core::Expected<EnvBenchResult> bench_single(const EnvBenchRequest& request) {
  auto made = env::make(request.env_id, request.kwargs);
  if (!made.ok()) return made.status();
  env::Env& env = **made;
  const env::Space& space = env.spec().action_space;
  const ActionPool pool = draw_actions(space, 1, request.seed + 1);
  if (auto reset = env.reset(request.seed); !reset.ok()) return reset.status();

  EnvBenchResult result;
  const auto start = Clock::now();
  for (std::int64_t step = 0; step < request.steps; ++step) {
    const std::size_t row = step % ActionPool::kRows;
    auto outcome =
        space.is_discrete()
            ? env.step(pool.indexes[row])
            : env.step(
                  std::span<const float>(pool.values).subspan(row * pool.row_size, pool.row_size));
    if (!outcome.ok()) return outcome.status();
    if (outcome->terminated || outcome->truncated) {
      ++result.episodes;
      if (auto reset = env.reset(); !reset.ok()) return reset.status();
    }
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.steps = request.steps;
  return result;
}

core::Expected<EnvBenchResult> bench_vector(const EnvBenchRequest& request) {
  env::VectorEnvOptions options;
  options.num_envs = request.num_envs;
  options.threads = request.threads;
  auto made = env::VectorEnv::make(request.env_id, request.kwargs, options);
  if (!made.ok()) return made.status();
  env::VectorEnv& envs = **made;
  const env::Space& space = envs.spec().action_space;
  const ActionPool pool = draw_actions(space, request.num_envs, request.seed + 1);
  if (core::Status status = envs.reset(request.seed); !status.ok()) return status;

  EnvBenchResult result;
  const std::int64_t vector_steps = (request.steps + request.num_envs - 1) / request.num_envs;
  const auto start = Clock::now();
  for (std::int64_t step = 0; step < vector_steps; ++step) {
    const std::size_t offset = (step % ActionPool::kRows) * pool.row_size;
    core::Status status =
        space.is_discrete()
            ? envs.step(std::span<const std::int64_t>(pool.indexes).subspan(offset, pool.row_size))
            : envs.step(std::span<const float>(pool.values).subspan(offset, pool.row_size));
    if (!status.ok()) return status;
    for (int i = 0; i < request.num_envs; ++i) result.episodes += envs.has_final_observation(i);
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.steps = vector_steps * request.num_envs;
  return result;
}

}  // namespace

core::Expected<EnvBenchResult> bench_env(const EnvBenchRequest& request) {
  if (request.steps < 1) {
    return core::invalid_argument(fmt::format("--steps must be positive, got {}", request.steps));
  }
  if (request.num_envs == 1 && request.threads == 1) return bench_single(request);
  return bench_vector(request);
}

}  // namespace tars::app
