// The evaluation list query on 1 M rows, per backend: seeds a fresh SQLite file and a throwaway
// PostgreSQL server (started here, as the tests do), then times list(agent_id, limit 100) at
// offset 0 and 10 000, after one untimed warm-up query per agent (the steady state of a server
// whose working set is cached). Prints one JSON line per case; target p95 <= 5 ms.
//
//   build/bench/store_bench [--rows N] [--agents K] [--queries Q] [--backend sqlite|postgresql]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "postgres_server.h"
#include "tars/app/db_seed.h"
#include "tars/core/rng.h"
#include "tars/store/postgres/postgres_database.h"
#include "tars/store/sqlite/sqlite_database.h"
#include "temp_dir.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kTargetP95Ms = 5.0;

struct Settings {
  std::int64_t rows = 1000000;
  int agents = 50;  // 20 000 rows per agent, so offset 10 000 lands mid-way
  int queries = 300;
  std::string backend;  // empty: both
};

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

void measure(tars::store::Database& database, const Settings& settings) {
  tars::app::SeedRequest request{
      .evaluations = settings.rows, .agents = settings.agents, .end = tars::core::now()};
  auto seeded = tars::app::seed_evaluations(database, request);
  if (!seeded.ok()) {
    std::cerr << "seeding failed: " << seeded.status().to_string() << '\n';
    std::exit(1);
  }
  std::cout << nlohmann::json{{"backend", database.backend()},
                              {"case", "seed"},
                              {"rows", seeded->inserted},
                              {"seconds", seeded->seconds}}
                   .dump()
            << std::endl;
  tars::core::Generator rng(1);
  for (std::int64_t offset : {0, 10000}) {
    for (int agent = 0; agent < settings.agents; ++agent) {
      const auto name = "synthetic-" + std::to_string(agent);
      (void)database.evaluations().list({.agent_id = name, .limit = 100, .offset = offset});
    }
    std::vector<double> ms;
    std::int64_t rows = 0;
    for (int i = 0; i < settings.queries; ++i) {
      const auto agent = "synthetic-" + std::to_string(rng.integers(0, settings.agents));
      const auto start = Clock::now();
      auto page = database.evaluations().list({.agent_id = agent, .limit = 100, .offset = offset});
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (!page.ok()) {
        std::cerr << "list failed: " << page.status().to_string() << '\n';
        std::exit(1);
      }
      rows += static_cast<std::int64_t>(page->evaluations.size());
    }
    const double p95 = percentile(ms, 0.95);
    std::cout << nlohmann::json{{"backend", database.backend()},
                                {"case", "list agent_id limit 100"},
                                {"offset", offset},
                                {"table_rows", settings.rows},
                                {"mean_page_rows", static_cast<double>(rows) / settings.queries},
                                {"p50_ms", percentile(ms, 0.5)},
                                {"p95_ms", p95},
                                {"target_p95_ms", kTargetP95Ms},
                                {"meets_target", p95 <= kTargetP95Ms}}
                     .dump()
              << std::endl;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--rows") {
      settings.rows = std::stoll(value);
    } else if (flag == "--agents") {
      settings.agents = std::stoi(value);
    } else if (flag == "--queries") {
      settings.queries = std::stoi(value);
    } else if (flag == "--backend") {
      settings.backend = value;
    } else {
      std::cerr << "unknown flag " << flag << '\n';
      return 2;
    }
  }
  if (settings.backend.empty() || settings.backend == "sqlite") {
    tars::test::TempDir dir;
    auto database = tars::store::open_sqlite({.path = (dir.path() / "bench.db").string()});
    if (!database.ok() || !(*database)->migrate().ok()) return 1;
    measure(**database, settings);
  }
  if (settings.backend.empty() || settings.backend == "postgresql") {
    tars::test::PostgresServer server;
    const auto url = server.ok() ? server.create_database("bench") : std::string();
    if (url.empty()) {
      std::cerr << "cannot start PostgreSQL: " << server.error() << '\n';
      return 1;
    }
    auto database = tars::store::open_postgres({.url = url});
    if (!database.ok() || !(*database)->migrate().ok()) return 1;
    measure(**database, settings);
  }
  return 0;
}
