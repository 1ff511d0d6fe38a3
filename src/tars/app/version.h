// Version and build facts for `tars version`.
#pragma once

#include <string>

namespace tars::app {

std::string version_string();     // "0.1.0"
std::string build_description();  // compiler, build type, target ISA

}  // namespace tars::app
