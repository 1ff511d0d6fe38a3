// The `tars marl` subcommands: nash.
#pragma once

namespace CLI {
class App;
}

namespace tars::app {

// Adds the `marl` subcommand with `marl nash` and returns it, so that further `marl`
// subcommands can be added to it.
CLI::App* add_marl_commands(CLI::App& app);

}  // namespace tars::app
