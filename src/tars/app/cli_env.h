// The `tars env` subcommands: list, rollout, bench.
#pragma once

namespace CLI {
class App;
}

namespace tars::app {

void add_env_commands(CLI::App& app);

}  // namespace tars::app
