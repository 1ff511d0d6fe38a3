// The `tars serve` subcommand: the whole platform in one process.
#pragma once

namespace CLI {
class App;
}

namespace tars::app {

void add_serve_command(CLI::App& app);

}  // namespace tars::app
