// AuthService admin operations: only admins may run them, each is audited, users keep an admin,
// and nothing hands out password or key hashes.
#include <gtest/gtest.h>

#include "auth/auth_test_support.h"
#include "tars/auth/auth_service.h"
#include "tars/store/auth_repository.h"

namespace tars::auth {
namespace {

using store::AuditOutcome;

class AuthAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(service_.bootstrap_admin("admin password").ok());
    admin_ = login("admin", "admin password");
  }

  Principal login(const std::string& username, const std::string& password) {
    auto pair = service_.login(username, password, "");
    EXPECT_TRUE(pair.ok()) << pair.status().to_string();
    if (!pair.ok()) return {};
    return service_.authenticate_bearer(pair->access_token).value();
  }

  store::AuditEntry last_audit(const std::string& action) {
    auto page = db_->audit_log().list({.action = action, .limit = 1}).value();
    EXPECT_EQ(page.entries.size(), 1u) << action;
    return page.entries.empty() ? store::AuditEntry{} : page.entries.front();
  }

  test::AuthTestDatabase db_;
  test::ManualClock clock_;
  AuthService service_{*db_, test::fast_auth_options(), clock_.clock()};
  Principal admin_;
};

TEST_F(AuthAdminTest, AdminCreatesUsersWhoCanLogIn) {
  auto user = service_.create_user(admin_, "alice", "alice password", Role::kDeveloper, "10.0.0.1");
  ASSERT_TRUE(user.ok()) << user.status().to_string();
  EXPECT_GT(user->id, 0);
  EXPECT_TRUE(user->password_hash.empty());
  const Principal alice = login("alice", "alice password");
  EXPECT_EQ(alice.role, Role::kDeveloper);

  const auto entry = last_audit("user.create");
  EXPECT_EQ(entry.actor, "admin");
  EXPECT_EQ(entry.target, "user:alice");
  EXPECT_EQ(entry.outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(entry.details, R"({"role":"developer"})");

  auto taken = service_.create_user(admin_, "alice", "other password", Role::kViewer, "");
  EXPECT_EQ(taken.status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(last_audit("user.create").outcome, AuditOutcome::kFailure);
  EXPECT_EQ(
      service_.create_user(admin_, "bad name", "password1", Role::kViewer, "").status().code(),
      core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_.create_user(admin_, "bob", "short", Role::kViewer, "").status().message(),
            "password: must be at least 8 characters");
}

TEST_F(AuthAdminTest, OthersAreDeniedAndTheDenialIsAudited) {
  ASSERT_TRUE(service_.create_user(admin_, "dev", "dev password", Role::kDeveloper, "").ok());
  const Principal dev = login("dev", "dev password");
  auto denied = service_.create_user(dev, "eve", "eve password", Role::kAdmin, "10.0.0.7");
  ASSERT_FALSE(denied.ok());
  EXPECT_TRUE(is_permission_denied(denied.status())) << denied.status().to_string();
  EXPECT_FALSE(db_->users().find("eve").value().has_value());
  const auto entry = last_audit("user.create");
  EXPECT_EQ(entry.actor, "dev");
  EXPECT_EQ(entry.outcome, AuditOutcome::kDenied);
  EXPECT_EQ(entry.client_ip, "10.0.0.7");

  EXPECT_TRUE(is_permission_denied(service_.list_users(dev).status()));
  EXPECT_TRUE(is_permission_denied(service_.query_audit(dev, {}).status()));
  EXPECT_TRUE(is_permission_denied(service_.rotate_signing_key(dev, "").status()));
  EXPECT_TRUE(is_permission_denied(
      service_.create_api_key(dev, "ci", Role::kViewer, std::nullopt, "").status()));
}

TEST_F(AuthAdminTest, RolesAndDisablingKeepAnAdmin) {
  auto last = service_.set_role(admin_, admin_.user_id, Role::kDeveloper, "");
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.status().message(), "'admin' is the last enabled admin: make another admin first");
  EXPECT_FALSE(service_.set_disabled(admin_, admin_.user_id, true, "").ok());

  const auto bob = service_.create_user(admin_, "bob", "bob password", Role::kViewer, "").value();
  auto promoted = service_.set_role(admin_, bob.id, Role::kAdmin, "");
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(promoted->role, Role::kAdmin);
  EXPECT_TRUE(promoted->password_hash.empty());
  EXPECT_EQ(last_audit("user.set_role").target, "user:bob");
  EXPECT_TRUE(service_.set_disabled(admin_, admin_.user_id, true, "").ok());
  EXPECT_TRUE(is_unauthenticated(service_.login("admin", "admin password", "").status()));
  EXPECT_EQ(service_.set_role(admin_, 999, Role::kViewer, "").status().code(),
            core::ErrorCode::kNotFound);
}

TEST_F(AuthAdminTest, DisabledUserCannotRefresh) {
  ASSERT_TRUE(service_.create_user(admin_, "carol", "carol password", Role::kViewer, "").ok());
  const TokenPair pair = service_.login("carol", "carol password", "").value();
  const std::int64_t carol = service_.authenticate_bearer(pair.access_token).value().user_id;
  ASSERT_TRUE(service_.set_disabled(admin_, carol, true, "").ok());
  EXPECT_TRUE(is_unauthenticated(service_.refresh(pair.refresh_token, "").status()));
  EXPECT_EQ(last_audit("user.disable").outcome, AuditOutcome::kSuccess);
}

TEST_F(AuthAdminTest, PasswordsAreResetByAdminsAndChangedByTheirOwners) {
  const auto dave =
      service_.create_user(admin_, "dave", "dave password", Role::kViewer, "").value();
  ASSERT_TRUE(service_.reset_password(admin_, dave.id, "new dave password", "").ok());
  EXPECT_FALSE(service_.login("dave", "dave password", "").ok());
  const Principal self = login("dave", "new dave password");

  EXPECT_TRUE(is_unauthenticated(service_.change_password(self, "wrong", "third password", "")));
  EXPECT_EQ(last_audit("user.change_password").outcome, AuditOutcome::kFailure);
  ASSERT_TRUE(service_.change_password(self, "new dave password", "third password", "").ok());
  EXPECT_TRUE(service_.login("dave", "third password", "").ok());
  EXPECT_EQ(last_audit("user.reset_password").target, "user:dave");
}

TEST_F(AuthAdminTest, ListsHideHashes) {
  ASSERT_TRUE(service_.create_api_key(admin_, "ci", Role::kViewer, std::nullopt, "").ok());
  const auto users = service_.list_users(admin_).value();
  ASSERT_EQ(users.size(), 1u);
  for (const auto& user : users) {
    EXPECT_TRUE(user.password_hash.empty()) << user.username;
  }
  const auto keys = service_.list_api_keys(admin_).value();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(keys[0].secret_hash.empty());
  EXPECT_EQ(keys[0].owner_id, admin_.user_id);
}

TEST_F(AuthAdminTest, KeyChangesAreAudited) {
  const auto created =
      service_.create_api_key(admin_, "ci", Role::kDeveloper, std::nullopt, "10.0.0.2").value();
  const std::string target = "api_key:" + std::to_string(created.record.id);
  EXPECT_EQ(last_audit("api_key.create").target, target);
  EXPECT_EQ(last_audit("api_key.create").details, R"({"name":"ci","role":"developer"})");
  const auto rotated = service_.rotate_api_key(admin_, created.record.id, "").value();
  EXPECT_EQ(last_audit("api_key.rotate").target, target);
  ASSERT_TRUE(service_.revoke_api_key(admin_, rotated.record.id, "").ok());
  EXPECT_TRUE(is_unauthenticated(service_.authenticate_api_key(rotated.key, "").status()));
  EXPECT_EQ(service_.revoke_api_key(admin_, rotated.record.id, "").code(),
            core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(last_audit("api_key.revoke").outcome, AuditOutcome::kFailure);

  clock_.advance(std::chrono::seconds(1));
  const std::string kid = service_.rotate_signing_key(admin_, "").value();
  EXPECT_EQ(last_audit("signing_key.rotate").target, "signing_key:" + kid);
  const auto keys = service_.list_signing_keys(admin_).value();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_TRUE(keys[0].signing);
  EXPECT_TRUE(keys[1].verifies);  // in its grace period
  ASSERT_TRUE(service_.invalidate_signing_key(admin_, keys[1].kid, "").ok());
  EXPECT_EQ(last_audit("signing_key.invalidate").target, "signing_key:" + keys[1].kid);
}

TEST_F(AuthAdminTest, AdminsQueryTheAuditLog) {
  ASSERT_TRUE(service_.create_user(admin_, "erin", "erin password", Role::kViewer, "").ok());
  auto page = service_.query_audit(admin_, {.actor = "admin", .action = "user.create"});
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  EXPECT_EQ(page->total, 1);
  EXPECT_EQ(page->entries[0].target, "user:erin");
  EXPECT_FALSE(service_.query_audit(admin_, {.limit = 0}).ok());
}

}  // namespace
}  // namespace tars::auth
