// The `tars eval` subcommand.
#pragma once

namespace CLI {
class App;
}

namespace tars::app {

void add_eval_command(CLI::App& app);

}  // namespace tars::app
