// What every `tars` subcommand shares: how errors reach the user and the exit code.
#pragma once

#include "tars/core/status.h"

namespace tars::app {

// Prints "error: <message>" to stderr and ends the command with exit code 1
// (throws CLI::RuntimeError, which main() turns into the exit code).
[[noreturn]] void fail(const core::Status& status);

}  // namespace tars::app
