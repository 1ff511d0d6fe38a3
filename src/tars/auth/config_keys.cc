#include "tars/auth/config_keys.h"

#include <string>

namespace tars::auth {
namespace {

constexpr std::int64_t kMaxPerMinute = 1'000'000;

}  // namespace

std::vector<core::ConfigKey> auth_config_keys() {
  return {
      core::int_key(std::string(kJwtAccessTtlMinutesKey), 60,
                    "Minutes an access token (JWT) is valid", 1, 24 * 60),
      core::int_key(std::string(kJwtRefreshTtlDaysKey), 7, "Days a refresh token is valid", 1, 365),
      core::int_key(std::string(kJwtKeyGraceHoursKey), 24,
                    "Hours a rotated-out JWT signing key still verifies the tokens it signed", 0,
                    24 * 365),
      core::int_key(std::string(kLoginTokenTtlHoursKey), 24,
                    "Hours the first admin's one-time login link is valid", 1, 24 * 365),
      core::int_key(std::string(kRateLimitLoginPerMinuteKey), 10,
                    "Login, refresh and token exchange requests per client per minute; 0: no limit",
                    0, kMaxPerMinute),
      core::int_key(std::string(kRateLimitApiPerMinuteKey), 600,
                    "Other API requests per client per minute; 0: no limit", 0, kMaxPerMinute),
      core::string_key(std::string(kAdminPasswordKey), "",
                       "Password of the first admin, created on first start; empty: generated "
                       "and a one-time login link printed")
          .with_env("TARS_ADMIN_PASSWORD"),
  };
}

TokenLifetimes token_lifetimes(const core::Config& config) {
  return {.access = std::chrono::minutes(config.get_int(kJwtAccessTtlMinutesKey)),
          .refresh = std::chrono::days(config.get_int(kJwtRefreshTtlDaysKey)),
          .login = std::chrono::hours(config.get_int(kLoginTokenTtlHoursKey))};
}

KeyRingOptions key_ring_options(const core::Config& config) {
  return {.grace = std::chrono::hours(config.get_int(kJwtKeyGraceHoursKey))};
}

std::vector<RateLimit> rate_limits(const core::Config& config) {
  return {
      {std::string(kLoginRouteClass),
       static_cast<int>(config.get_int(kRateLimitLoginPerMinuteKey))},
      {std::string(kApiRouteClass), static_cast<int>(config.get_int(kRateLimitApiPerMinuteKey))}};
}

}  // namespace tars::auth
