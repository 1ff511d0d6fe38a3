// `tars marl train`: the orchestrator headless, with a JSON summary line.
#pragma once

#include <CLI/CLI.hpp>

namespace tars::app {

// Adds `train` under the `marl` subcommand.
void add_marl_train_command(CLI::App& marl);

}  // namespace tars::app
