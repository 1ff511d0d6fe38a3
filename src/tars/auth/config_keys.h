// Configuration keys of the auth module (environment variables: the names upper-cased, e.g.
// JWT_ACCESS_TTL_MINUTES; the first admin's password comes from TARS_ADMIN_PASSWORD).
#pragma once

#include <string_view>
#include <vector>

#include "tars/auth/key_ring.h"
#include "tars/auth/rate_limiter.h"
#include "tars/auth/tokens.h"
#include "tars/core/config.h"

namespace tars::auth {

inline constexpr std::string_view kJwtAccessTtlMinutesKey = "jwt_access_ttl_minutes";
inline constexpr std::string_view kJwtRefreshTtlDaysKey = "jwt_refresh_ttl_days";
inline constexpr std::string_view kJwtKeyGraceHoursKey = "jwt_key_grace_hours";
inline constexpr std::string_view kLoginTokenTtlHoursKey = "login_token_ttl_hours";
inline constexpr std::string_view kRateLimitLoginPerMinuteKey = "rate_limit_login_per_minute";
inline constexpr std::string_view kRateLimitApiPerMinuteKey = "rate_limit_api_per_minute";
inline constexpr std::string_view kAdminPasswordKey = "admin_password";

// The route classes the rate limits of rate_limits() apply to.
inline constexpr std::string_view kLoginRouteClass = "login";  // login, refresh, token exchange
inline constexpr std::string_view kApiRouteClass = "api";      // every other API route

// jwt_access_ttl_minutes (60), jwt_refresh_ttl_days (7), jwt_key_grace_hours (24),
// login_token_ttl_hours (24), rate_limit_login_per_minute (10), rate_limit_api_per_minute (600),
// admin_password (TARS_ADMIN_PASSWORD, empty: generate one).
std::vector<core::ConfigKey> auth_config_keys();

// Token lifetimes from a config resolved from a schema holding auth_config_keys().
TokenLifetimes token_lifetimes(const core::Config& config);
// The key ring's grace period from the same config.
KeyRingOptions key_ring_options(const core::Config& config);
// The "login" and "api" limits from the same config.
std::vector<RateLimit> rate_limits(const core::Config& config);

}  // namespace tars::auth
