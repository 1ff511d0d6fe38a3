// `tars migrate` and `tars db seed`.
#pragma once

namespace CLI {
class App;
}

namespace tars::app {

void add_db_commands(CLI::App& app);

}  // namespace tars::app
