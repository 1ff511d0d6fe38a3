// Configuration keys of the storage layer.
#pragma once

#include <string_view>
#include <vector>

#include "tars/core/config.h"

namespace tars::store {

inline constexpr std::string_view kDatabaseUrlKey = "database_url";
inline constexpr std::string_view kDbPoolSizeKey = "db_pool_size";
inline constexpr std::string_view kDbQueryTimeoutKey = "db_query_timeout";
inline constexpr std::string_view kDbQueryDefaultLimitKey = "db_query_default_limit";

// database_url (TARS_DATABASE_URL), db_pool_size, db_query_timeout, db_query_default_limit.
std::vector<core::ConfigKey> store_config_keys();

}  // namespace tars::store
