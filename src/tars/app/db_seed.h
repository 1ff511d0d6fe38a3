// `tars db seed`: synthetic evaluations for load tests. Every row's agent id starts with
// "synthetic-" so that they can never be mistaken for (or mixed into) real results.
#pragma once

#include <cstdint>

#include "tars/core/status.h"
#include "tars/core/time.h"
#include "tars/store/repository.h"

namespace tars::app {

struct SeedRequest {
  std::int64_t evaluations = 1000;  // rows to insert
  int agents = 100;                 // distinct agent ids synthetic-0 .. synthetic-(agents-1)
  std::uint64_t seed = 0;           // the same seed writes the same rows (ids aside)
  core::Timestamp end{};            // rows are spread evenly over the 30 days before this time
  int batch = 10000;                // rows per transaction
};

struct SeedResult {
  std::int64_t inserted = 0;
  double seconds = 0.0;
};

core::Expected<SeedResult> seed_evaluations(store::Database& database, const SeedRequest& request);

}  // namespace tars::app
