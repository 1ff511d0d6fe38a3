// AuthService sessions: the first admin and its one-time token, login, refresh rotation, logout,
// request authentication, and the audit entries they leave.
#include "tars/auth/auth_service.h"

#include <gtest/gtest.h>

#include "auth/auth_test_support.h"
#include "tars/store/auth_repository.h"

namespace tars::auth {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using store::AuditOutcome;

class AuthServiceTest : public ::testing::Test {
 protected:
  // The admin created with a known password; returns its one-time login token.
  std::string bootstrap() {
    auto result = service_.bootstrap_admin("admin password");
    EXPECT_TRUE(result.ok()) << result.status().to_string();
    return result.ok() ? result->login_token : "";
  }

  // The newest audit entries, newest first.
  std::vector<store::AuditEntry> audit(const std::string& action) {
    return db_->audit_log().list({.action = action}).value().entries;
  }

  void expect_unauthenticated(const core::Status& status) {
    EXPECT_TRUE(is_unauthenticated(status)) << status.to_string();
  }

  test::AuthTestDatabase db_;
  test::ManualClock clock_;
  AuthService service_{*db_, test::fast_auth_options(), clock_.clock()};
};

TEST_F(AuthServiceTest, FirstStartCreatesTheAdminOnce) {
  auto first = service_.bootstrap_admin("");
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->username, "admin");
  EXPECT_EQ(first->generated_password.size(), 24u);
  EXPECT_FALSE(first->login_token.empty());
  auto admin = db_->users().find("admin").value();
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_TRUE(service_.login("admin", first->generated_password, "127.0.0.1").ok());

  auto second = service_.bootstrap_admin("another password");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_TRUE(second->login_token.empty());
  EXPECT_EQ(db_->users().count().value(), 1);
  EXPECT_EQ(audit("user.bootstrap").size(), 1u);
}

TEST_F(AuthServiceTest, AdminPasswordFromTheEnvironmentIsUsedAndChecked) {
  auto too_short = service_.bootstrap_admin("short");
  ASSERT_FALSE(too_short.ok());
  EXPECT_EQ(too_short.status().message(),
            "TARS_ADMIN_PASSWORD: password: must be at least 8 characters");
  EXPECT_EQ(db_->users().count().value(), 0);

  auto result = service_.bootstrap_admin("from the environment");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->generated_password.empty());
  EXPECT_TRUE(service_.login("admin", "from the environment", "127.0.0.1").ok());
}

TEST_F(AuthServiceTest, OneTimeLoginTokenWorksOnce) {
  const std::string token = bootstrap();
  auto pair = service_.exchange_login_token(token, "127.0.0.1");
  ASSERT_TRUE(pair.ok()) << pair.status().to_string();
  auto principal = service_.authenticate_bearer(pair->access_token);
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->username, "admin");
  EXPECT_EQ(principal->role, Role::kAdmin);

  auto again = service_.exchange_login_token(token, "127.0.0.1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), "unauthenticated: login token already used");
  // Neither an access token nor a refresh token is a login token, nor the reverse.
  expect_unauthenticated(service_.exchange_login_token(pair->refresh_token, "").status());
  expect_unauthenticated(service_.authenticate_bearer(token).status());

  const auto entries = audit("auth.login_token");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(entries[2].actor, "admin");
  EXPECT_EQ(entries[1].outcome, AuditOutcome::kFailure);
}

TEST_F(AuthServiceTest, LoginsAndFailuresAreAudited) {
  bootstrap();
  auto pair = service_.login("admin", "admin password", "10.1.2.3");
  ASSERT_TRUE(pair.ok()) << pair.status().to_string();
  EXPECT_EQ(pair->expires_in, 3600);
  auto wrong = service_.login("admin", "wrong password", "10.1.2.4");
  auto unknown = service_.login("mallory", "admin password", "10.1.2.5");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.status().message(), "unauthenticated: invalid username or password");
  EXPECT_EQ(unknown.status().message(), wrong.status().message());

  const auto entries = audit("auth.login");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].actor, "admin");
  EXPECT_EQ(entries[2].outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(entries[2].client_ip, "10.1.2.3");
  EXPECT_EQ(entries[2].target, "user:admin");
  EXPECT_EQ(entries[1].outcome, AuditOutcome::kFailure);
  EXPECT_EQ(entries[1].details, R"({"reason":"wrong password"})");
  EXPECT_EQ(entries[0].actor, "mallory");
  EXPECT_EQ(entries[0].details, R"({"reason":"unknown user"})");
  for (const auto& entry : entries) {
    EXPECT_EQ(entry.details.find("admin password"), std::string::npos) << entry.details;
  }
}

TEST_F(AuthServiceTest, RefreshRotatesThePairAndSpendsTheOldToken) {
  bootstrap();
  const TokenPair first = service_.login("admin", "admin password", "").value();
  clock_.advance(minutes(30));
  auto second = service_.refresh(first.refresh_token, "");
  ASSERT_TRUE(second.ok()) << second.status().to_string();
  EXPECT_NE(second->refresh_token, first.refresh_token);
  EXPECT_TRUE(service_.authenticate_bearer(second->access_token).ok());

  auto reused = service_.refresh(first.refresh_token, "");
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.status().message(), "unauthenticated: refresh token already used");
  EXPECT_TRUE(service_.refresh(second->refresh_token, "").ok());
  // A refresh token is not an access token, and an access token cannot refresh.
  expect_unauthenticated(service_.authenticate_bearer(second->refresh_token).status());
  expect_unauthenticated(service_.refresh(second->access_token, "").status());
}

TEST_F(AuthServiceTest, AccessTokenExpiresOnTheClock) {
  bootstrap();
  const TokenPair pair = service_.login("admin", "admin password", "").value();
  clock_.advance(minutes(59));
  EXPECT_TRUE(service_.authenticate_bearer(pair.access_token).ok());
  clock_.advance(minutes(1));
  expect_unauthenticated(service_.authenticate_bearer(pair.access_token).status());
  EXPECT_TRUE(service_.refresh(pair.refresh_token, "").ok());  // 7 days
}

TEST_F(AuthServiceTest, LogoutSpendsTheRefreshToken) {
  bootstrap();
  const TokenPair pair = service_.login("admin", "admin password", "").value();
  ASSERT_TRUE(service_.logout(pair.refresh_token, "").ok());
  expect_unauthenticated(service_.refresh(pair.refresh_token, "").status());
  EXPECT_TRUE(service_.logout(pair.refresh_token, "").ok());  // harmless
  expect_unauthenticated(service_.logout("garbage", ""));
  EXPECT_EQ(audit("auth.logout").size(), 3u);
}

TEST_F(AuthServiceTest, RotatedKeysTokensLiveThroughTheGracePeriodOnly) {
  bootstrap();
  const Principal admin =
      service_
          .authenticate_bearer(service_.login("admin", "admin password", "").value().access_token)
          .value();
  const TokenPair before = service_.login("admin", "admin password", "").value();
  const TokenPair kept = service_.login("admin", "admin password", "").value();
  ASSERT_TRUE(service_.rotate_signing_key(admin, "").ok());
  EXPECT_TRUE(service_.authenticate_bearer(before.access_token).ok());
  clock_.advance(hours(23));
  EXPECT_TRUE(service_.refresh(before.refresh_token, "").ok());
  clock_.advance(hours(1));
  expect_unauthenticated(service_.refresh(kept.refresh_token, "").status());
}

TEST_F(AuthServiceTest, InvalidatedKeysTokensStopAtOnce) {
  bootstrap();
  const TokenPair pair = service_.login("admin", "admin password", "").value();
  const Principal admin = service_.authenticate_bearer(pair.access_token).value();
  const std::string kid = service_.list_signing_keys(admin).value().front().kid;
  ASSERT_TRUE(service_.invalidate_signing_key(admin, kid, "").ok());
  expect_unauthenticated(service_.authenticate_bearer(pair.access_token).status());
  expect_unauthenticated(service_.refresh(pair.refresh_token, "").status());
  EXPECT_TRUE(service_.login("admin", "admin password", "").ok());  // a new key signs
}

TEST_F(AuthServiceTest, BearerTokensCarryTheUsersCurrentRoleAndState) {
  bootstrap();
  const Principal admin =
      service_
          .authenticate_bearer(service_.login("admin", "admin password", "").value().access_token)
          .value();
  const auto dev = service_.create_user(admin, "dev", "dev password", Role::kDeveloper, "").value();
  const std::string token = service_.login("dev", "dev password", "").value().access_token;
  EXPECT_EQ(service_.authenticate_bearer(token).value().role, Role::kDeveloper);
  // A change made through this service applies to the next request.
  ASSERT_TRUE(service_.set_role(admin, dev.id, Role::kViewer, "").ok());
  EXPECT_EQ(service_.authenticate_bearer(token).value().role, Role::kViewer);

  // Another process on the same database sees it within user_status_ttl.
  AuthService other{*db_, test::fast_auth_options(), clock_.clock()};
  EXPECT_EQ(other.authenticate_bearer(token).value().role, Role::kViewer);
  ASSERT_TRUE(service_.set_role(admin, dev.id, Role::kDeveloper, "").ok());
  EXPECT_EQ(other.authenticate_bearer(token).value().role, Role::kViewer);
  clock_.advance(test::fast_auth_options().user_status_ttl);
  EXPECT_EQ(other.authenticate_bearer(token).value().role, Role::kDeveloper);

  ASSERT_TRUE(service_.set_disabled(admin, dev.id, true, "").ok());
  const auto refused = service_.authenticate_bearer(token);
  expect_unauthenticated(refused.status());
  EXPECT_NE(refused.status().message().find("user 'dev' is disabled"), std::string::npos);
}

TEST_F(AuthServiceTest, ApiKeyPrincipalIsCappedByItsOwner) {
  bootstrap();
  const Principal admin =
      service_
          .authenticate_bearer(service_.login("admin", "admin password", "").value().access_token)
          .value();
  const std::string key =
      service_.create_api_key(admin, "ci", Role::kAdmin, std::nullopt, "").value().key;
  auto principal = service_.authenticate_api_key(key, "10.0.0.9");
  ASSERT_TRUE(principal.ok()) << principal.status().to_string();
  EXPECT_EQ(principal->kind, PrincipalKind::kApiKey);
  EXPECT_EQ(principal->key_name, "ci");
  EXPECT_EQ(principal->username, "admin");
  EXPECT_EQ(principal->role, Role::kAdmin);

  // A second admin, so the first can be demoted.
  const auto other = service_.create_user(admin, "root", "root password", Role::kAdmin, "").value();
  ASSERT_TRUE(service_.set_role(admin, admin.user_id, Role::kViewer, "").ok());
  EXPECT_EQ(service_.authenticate_api_key(key, "").value().role, Role::kViewer);
  const Principal root{.user_id = other.id, .username = "root", .role = Role::kAdmin};
  ASSERT_TRUE(service_.set_disabled(root, admin.user_id, true, "").ok());
  expect_unauthenticated(service_.authenticate_api_key(key, "").status());

  expect_unauthenticated(service_.authenticate_api_key("tars_garbage", "10.0.0.9").status());
  const auto failures =
      db_->audit_log().list({.action = "auth.api_key", .outcome = AuditOutcome::kFailure}).value();
  EXPECT_EQ(failures.total, 2);
  EXPECT_EQ(failures.entries[1].actor, "apikey:ci");
  EXPECT_EQ(failures.entries[0].actor, "anonymous");
}

TEST_F(AuthServiceTest, DeniedRequestsAreWrittenForTheServer) {
  service_.write_audit({.actor = "bob",
                        .action = "POST /api/v1/baselines",
                        .outcome = AuditOutcome::kDenied,
                        .client_ip = "10.0.0.1"});
  const auto entries = audit("POST /api/v1/baselines");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].outcome, AuditOutcome::kDenied);
  EXPECT_EQ(entries[0].ts, test::kAuthEpoch);
}

}  // namespace
}  // namespace tars::auth
