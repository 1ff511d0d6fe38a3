// Configuration keys owned by core. Other modules declare theirs next to their code.
#pragma once

#include <string_view>
#include <vector>

#include "tars/core/config.h"

namespace tars::core {

inline constexpr std::string_view kLogLevelKey = "log_level";
inline constexpr std::string_view kLogFormatKey = "log_format";

// log_level, log_format.
std::vector<ConfigKey> core_config_keys();

}  // namespace tars::core
