#include "tars/app/cli_db.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tars/app/cli_support.h"
#include "tars/app/database.h"
#include "tars/app/db_seed.h"
#include "tars/app/global_options.h"

namespace tars::app {
namespace {

std::unique_ptr<store::Database> open_or_fail() {
  auto database = open_database(database_settings(global_config()));
  if (!database.ok()) fail(database.status());
  return std::move(*database);
}

void migrate(bool status_only) {
  auto database = open_or_fail();
  if (!status_only) {
    auto applied = database->migrate();
    if (!applied.ok()) fail(applied.status());
    std::cerr << fmt::format("{}: applied {} migration(s)\n", database->backend(), applied->size());
  }
  auto infos = database->migrations();
  if (!infos.ok()) fail(infos.status());
  for (const auto& info : *infos) {
    std::cout << fmt::format("{} {}\n", info.name,
                             info.applied_at ? "applied " + core::format_iso8601(*info.applied_at)
                                             : std::string("pending"));
  }
}

}  // namespace

void add_db_commands(CLI::App& app) {
  auto* migrate_command = app.add_subcommand(
      "migrate", "Apply the database schema migrations that are not applied yet");
  auto status_only = std::make_shared<bool>(false);
  migrate_command->add_flag("--status", *status_only, "Only list migrations and whether applied");
  migrate_command->callback([status_only] { migrate(*status_only); });

  auto* db = app.add_subcommand("db", "Database tools");
  db->require_subcommand(1);
  auto request = std::make_shared<SeedRequest>();
  auto* seed = db->add_subcommand(
      "seed", "Insert synthetic evaluations (agent ids synthetic-*) for load tests");
  seed->add_option("--evaluations", request->evaluations, "Rows to insert")
      ->required()
      ->check(CLI::NonNegativeNumber);
  seed->add_option("--agents", request->agents, "Distinct agent ids")
      ->default_val(100)
      ->check(CLI::PositiveNumber);
  seed->add_option("--seed", request->seed, "Seed of the synthetic values")->default_val(0);
  seed->callback([request] {
    auto database = open_or_fail();
    if (auto applied = database->migrate(); !applied.ok()) fail(applied.status());
    request->end = core::now();
    auto result = seed_evaluations(*database, *request);
    if (!result.ok()) fail(result.status());
    std::cout << nlohmann::json{{"backend", database->backend()},
                                {"inserted", result->inserted},
                                {"seconds", result->seconds},
                                {"rows_per_second", result->inserted / result->seconds}}
                     .dump()
              << '\n';
  });
}

}  // namespace tars::app
