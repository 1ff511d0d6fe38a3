// `tars`: one executable, one subcommand per role or tool (DESIGN.md §1).
#include <CLI/CLI.hpp>
#include <iostream>

#include "tars/app/cli_db.h"
#include "tars/app/cli_env.h"
#include "tars/app/cli_eval.h"
#include "tars/app/cli_marl.h"
#include "tars/app/cli_marl_train.h"
#include "tars/app/cli_serve.h"
#include "tars/app/cli_train.h"
#include "tars/app/global_options.h"
#include "tars/app/version.h"
#include "tars/core/memory.h"

int main(int argc, char** argv) {
  tars::core::keep_freed_memory_for_reuse();
  CLI::App app{"T.A.R.S. - multi-agent reinforcement learning platform", "tars"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand; subcommands inherit this
  tars::app::add_global_options(app);

  auto* version = app.add_subcommand("version", "Print the version and build");
  version->callback([] {
    std::cout << "tars " << tars::app::version_string() << " (" << tars::app::build_description()
              << ")\n";
  });
  tars::app::add_env_commands(app);
  tars::app::add_train_command(app);
  tars::app::add_eval_command(app);
  tars::app::add_marl_train_command(*tars::app::add_marl_commands(app));
  tars::app::add_db_commands(app);
  tars::app::add_serve_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  return 0;
}
