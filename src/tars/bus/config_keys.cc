#include "tars/bus/config_keys.h"

#include <string>

namespace tars::bus {

std::vector<core::ConfigKey> bus_config_keys() {
  return {core::int_key(std::string(kEvaluationsCacheTtlKey), 60,
                        "Seconds a rendered evaluation list page stays cached; 0: no caching", 0,
                        86400)};
}

}  // namespace tars::bus
