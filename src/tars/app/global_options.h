// Options every command takes: --config FILE and one flag per configuration key (--log-level,
// --database, ...). They are resolved with the environment and the YAML file
// (flag > env > file > default) before any command runs.
#pragma once

#include <memory>
#include <vector>

#include "tars/core/config.h"

namespace CLI {
class App;
}

namespace tars::app {

// Adds the options to `app` and configures logging from them once parsing completes; a bad
// value ends the program with an error naming the key and its source.
void add_global_options(CLI::App& app);

// Every module's keys: core, store, eval.
std::vector<core::ConfigKey> all_config_keys();

// The configuration resolved when parsing completed; only valid inside a command's callback.
const core::Config& global_config();

}  // namespace tars::app
