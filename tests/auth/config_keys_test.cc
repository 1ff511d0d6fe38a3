// The auth module's configuration keys: documented defaults, environment variables, bounds.
#include "tars/auth/config_keys.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace tars::auth {
namespace {

core::Expected<core::Config> load(std::map<std::string, std::string> env) {
  core::ConfigSchema schema;
  EXPECT_TRUE(schema.add(auth_config_keys()).ok());
  return core::load_config(schema, {.env = core::env_from_map(std::move(env))});
}

TEST(AuthConfigKeysTest, DefaultsAreTheDocumentedOnes) {
  auto config = load({});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  const TokenLifetimes lifetimes = token_lifetimes(*config);
  EXPECT_EQ(lifetimes.access, std::chrono::minutes(60));
  EXPECT_EQ(lifetimes.refresh, std::chrono::hours(24 * 7));
  EXPECT_EQ(lifetimes.login, std::chrono::hours(24));
  EXPECT_EQ(key_ring_options(*config).grace, std::chrono::hours(24));
  const auto limits = rate_limits(*config);
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[0].route_class, kLoginRouteClass);
  EXPECT_EQ(limits[0].per_minute, 10);
  EXPECT_EQ(limits[1].route_class, kApiRouteClass);
  EXPECT_EQ(limits[1].per_minute, 600);
  EXPECT_EQ(config->get_string(kAdminPasswordKey), "");
}

TEST(AuthConfigKeysTest, ReadsTheEnvironment) {
  auto config = load({{"JWT_ACCESS_TTL_MINUTES", "5"},
                      {"JWT_REFRESH_TTL_DAYS", "1"},
                      {"JWT_KEY_GRACE_HOURS", "2"},
                      {"LOGIN_TOKEN_TTL_HOURS", "3"},
                      {"RATE_LIMIT_LOGIN_PER_MINUTE", "4"},
                      {"RATE_LIMIT_API_PER_MINUTE", "0"},
                      {"TARS_ADMIN_PASSWORD", "from the environment"}});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(token_lifetimes(*config).access, std::chrono::minutes(5));
  EXPECT_EQ(token_lifetimes(*config).refresh, std::chrono::hours(24));
  EXPECT_EQ(token_lifetimes(*config).login, std::chrono::hours(3));
  EXPECT_EQ(key_ring_options(*config).grace, std::chrono::hours(2));
  EXPECT_EQ(rate_limits(*config)[0].per_minute, 4);
  EXPECT_EQ(rate_limits(*config)[1].per_minute, 0);
  EXPECT_EQ(config->get_string(kAdminPasswordKey), "from the environment");
}

TEST(AuthConfigKeysTest, RejectsValuesOutOfBounds) {
  auto config = load({{"JWT_ACCESS_TTL_MINUTES", "0"}});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), "JWT_ACCESS_TTL_MINUTES: must be between 1 and 1440, got 0");
  EXPECT_FALSE(load({{"RATE_LIMIT_LOGIN_PER_MINUTE", "-1"}}).ok());
}

}  // namespace
}  // namespace tars::auth
