#include "tars/app/cli_support.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace tars::app {

void fail(const core::Status& status) {
  std::cerr << "error: " << status.message() << '\n';
  throw CLI::RuntimeError(1);
}

}  // namespace tars::app
