// Options every command takes: --config FILE, --log-level, --log-format. They are resolved with
// the environment and the YAML file (flag > env > file > default) before any command runs.
#pragma once

#include <memory>

namespace CLI {
class App;
}

namespace tars::app {

// Adds the options to `app` and configures logging from them once parsing completes; a bad
// value ends the program with an error naming the key and its source.
void add_global_options(CLI::App& app);

}  // namespace tars::app
