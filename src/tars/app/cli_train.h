// The `tars train` subcommand.
#pragma once

namespace CLI {
class App;
}

namespace tars::app {

void add_train_command(CLI::App& app);

}  // namespace tars::app
