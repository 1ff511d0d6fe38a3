#include "tars/core/config_keys.h"

#include <string>

namespace tars::core {

std::vector<ConfigKey> core_config_keys() {
  return {
      enum_key(std::string(kLogLevelKey), {"trace", "debug", "info", "warn", "error"}, "info",
               "Least severe log level that is written"),
      enum_key(std::string(kLogFormatKey), {"text", "json"}, "text",
               "Log line format on stderr: text for people, json for one object per line"),
  };
}

}  // namespace tars::core
