// Configuration keys of caches and queues.
#pragma once

#include <string_view>
#include <vector>

#include "tars/core/config.h"

namespace tars::bus {

inline constexpr std::string_view kEvaluationsCacheTtlKey = "redis_cache_ttl_evaluations";

// redis_cache_ttl_evaluations (seconds; 0 turns the evaluation list cache off).
std::vector<core::ConfigKey> bus_config_keys();

}  // namespace tars::bus
