// `tars env bench`: environment steps per second with random actions drawn before timing.
#pragma once

#include <cstdint>
#include <string>

#include "tars/core/status.h"
#include "tars/env/kwargs.h"

namespace tars::app {

struct EnvBenchRequest {
  std::string env_id;
  env::Kwargs kwargs;
  std::int64_t steps = 1'000'000;  // environment steps in total, over all copies
  int num_envs = 1;                // 1: a single Env; more: a VectorEnv (same-step autoreset)
  int threads = 1;
  std::uint64_t seed = 0;
};

struct EnvBenchResult {
  std::int64_t steps = 0;
  double seconds = 0.0;
  std::int64_t episodes = 0;  // episodes that ended during the run
  double steps_per_second() const { return seconds > 0 ? steps / seconds : 0.0; }
};

core::Expected<EnvBenchResult> bench_env(const EnvBenchRequest& request);

}  // namespace tars::app
