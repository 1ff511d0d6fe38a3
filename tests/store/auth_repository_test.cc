// The auth repositories behave the same on both backends: a SQLite file and a real PostgreSQL
// server.
#include "tars/store/auth_repository.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/store_test_support.h"

namespace tars::store {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;

// 2026-01-01T00:00:00Z plus a fraction, so microseconds must survive the round trip.
const core::Timestamp kT0 = core::from_micros(1767225600000000 + 123456);

UserRecord user(std::string name, Role role = Role::kViewer) {
  return {.username = std::move(name),
          .password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
          .role = role,
          .created_at = kT0,
          .updated_at = kT0};
}

ApiKeyRecord api_key(std::string name, std::string prefix, std::int64_t owner) {
  return {.name = std::move(name),
          .prefix = std::move(prefix),
          .secret_hash = std::string(64, 'a'),
          .role = Role::kDeveloper,
          .owner_id = owner,
          .created_at = kT0,
          .expires_at = kT0 + hours(24)};
}

class AuthRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    opened_ = test::open_test_database(GetParam());
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
  }
  Database& db() { return *opened_.database; }

  std::int64_t create_user(const std::string& name) {
    auto id = db().users().create(user(name));
    EXPECT_TRUE(id.ok()) << id.status().to_string();
    return id.ok() ? *id : 0;
  }

  test::TestDatabase opened_;
};

TEST_P(AuthRepositoryTest, UsersRoundTripAndUsernamesAreUnique) {
  auto& users = db().users();
  EXPECT_EQ(users.count().value(), 0);
  auto stored = user("alice", Role::kAdmin);
  stored.id = users.create(stored).value();
  EXPECT_EQ(users.get(stored.id).value(), stored);
  EXPECT_EQ(users.find("alice").value(), stored);
  EXPECT_FALSE(users.find("bob").value().has_value());
  EXPECT_FALSE(users.get(stored.id + 100).value().has_value());

  auto taken = users.create(user("alice"));
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(taken.status().message(), "username 'alice' is taken");

  stored.role = Role::kDeveloper;
  stored.disabled = true;
  stored.password_hash = "changed";
  stored.updated_at = kT0 + hours(1);
  ASSERT_TRUE(users.update(stored).ok());
  EXPECT_EQ(users.get(stored.id).value(), stored);

  UserRecord unknown = stored;
  unknown.id = stored.id + 100;
  EXPECT_EQ(users.update(unknown).code(), core::ErrorCode::kNotFound);

  create_user("bob");
  auto all = users.list().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].username, "alice");
  EXPECT_EQ(all[1].username, "bob");
  EXPECT_EQ(users.count().value(), 2);
}

TEST_P(AuthRepositoryTest, ApiKeysRoundTripAndLiveNamesAreUnique) {
  auto& keys = db().api_keys();
  const std::int64_t owner = create_user("alice");
  auto key = api_key("ci", "0123456789ab", owner);
  key.id = keys.create(key).value();
  EXPECT_EQ(keys.get(key.id).value(), key);
  EXPECT_EQ(keys.find_by_prefix("0123456789ab").value(), key);
  EXPECT_FALSE(keys.find_by_prefix("ffffffffffff").value().has_value());

  auto duplicate = keys.create(api_key("ci", "ba9876543210", owner));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), core::ErrorCode::kFailedPrecondition);

  ASSERT_TRUE(keys.touch(key.id, kT0 + hours(2)).ok());
  EXPECT_EQ(keys.get(key.id).value()->last_used_at, kT0 + hours(2));

  // A key without expiry keeps its NULL.
  auto forever = api_key("deploy", "aaaaaaaaaaaa", owner);
  forever.expires_at.reset();
  forever.created_at = kT0 + hours(1);
  const std::int64_t forever_id = keys.create(forever).value();
  EXPECT_FALSE(keys.get(forever_id).value()->expires_at.has_value());

  auto listed = keys.list(owner).value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "deploy");  // newest first
  EXPECT_EQ(listed[1].name, "ci");
  EXPECT_TRUE(keys.list(owner + 100).value().empty());
  EXPECT_EQ(keys.list(std::nullopt).value().size(), 2u);
}

TEST_P(AuthRepositoryTest, RotateRevokesTheOldKeyAndReusesItsName) {
  auto& keys = db().api_keys();
  const std::int64_t owner = create_user("alice");
  const std::int64_t old_id = keys.create(api_key("ci", "0123456789ab", owner)).value();
  auto next = api_key("ci", "ba9876543210", owner);
  next.created_at = kT0 + hours(3);
  const std::int64_t new_id = keys.rotate(old_id, next).value();
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(keys.get(old_id).value()->revoked_at, kT0 + hours(3));
  EXPECT_FALSE(keys.get(new_id).value()->revoked_at.has_value());

  auto again = keys.rotate(old_id, api_key("ci", "cccccccccccc", owner));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(keys.find_by_prefix("cccccccccccc").value().has_value());  // rolled back

  EXPECT_EQ(keys.rotate(new_id + 100, next).status().code(), core::ErrorCode::kNotFound);
  ASSERT_TRUE(keys.revoke(new_id, kT0 + hours(4)).ok());
  EXPECT_EQ(keys.revoke(new_id, kT0 + hours(5)).code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(keys.revoke(new_id + 100, kT0).code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(keys.get(new_id).value()->revoked_at, kT0 + hours(4));
}

TEST_P(AuthRepositoryTest, SigningKeysRotateAndInvalidate) {
  auto& keys = db().signing_keys();
  ASSERT_TRUE(keys.add({.kid = "k1", .secret = "c2VjcmV0MQ", .created_at = kT0}).ok());
  EXPECT_FALSE(keys.add({.kid = "k1", .secret = "x", .created_at = kT0}).ok());
  ASSERT_TRUE(
      keys.rotate({.kid = "k2", .secret = "c2VjcmV0Mg", .created_at = kT0 + hours(1)}).ok());

  auto listed = keys.list().value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0],
            (SigningKeyRecord{.kid = "k2", .secret = "c2VjcmV0Mg", .created_at = kT0 + hours(1)}));
  EXPECT_EQ(listed[1].kid, "k1");
  EXPECT_EQ(listed[1].retired_at, kT0 + hours(1));
  EXPECT_FALSE(listed[1].invalidated_at.has_value());

  ASSERT_TRUE(keys.invalidate("k2", kT0 + hours(2)).ok());
  ASSERT_TRUE(keys.invalidate("k1", kT0 + hours(3)).ok());
  listed = keys.list().value();
  EXPECT_EQ(listed[0].retired_at, kT0 + hours(2));  // set with the invalidation
  EXPECT_EQ(listed[0].invalidated_at, kT0 + hours(2));
  EXPECT_EQ(listed[1].retired_at, kT0 + hours(1));  // kept
  EXPECT_EQ(listed[1].invalidated_at, kT0 + hours(3));
  EXPECT_EQ(keys.invalidate("k2", kT0).code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(keys.invalidate("nope", kT0).code(), core::ErrorCode::kNotFound);
}

TEST_P(AuthRepositoryTest, ATokenIsRevokedExactlyOnceUnderConcurrency) {
  auto& revoked = db().revoked_tokens();
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto fresh = revoked.revoke("jti-1", kT0 + hours(1));
      EXPECT_TRUE(fresh.ok()) << fresh.status().to_string();
      if (fresh.ok() && *fresh) ++winners;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(winners.load(), 1);
  EXPECT_FALSE(revoked.revoke("jti-1", kT0 + hours(1)).value());

  EXPECT_TRUE(revoked.revoke("jti-2", kT0 + hours(3)).value());
  EXPECT_EQ(revoked.purge_expired(kT0 + hours(2)).value(), 1);   // jti-1 only
  EXPECT_TRUE(revoked.revoke("jti-1", kT0 + hours(1)).value());  // forgotten
  EXPECT_FALSE(revoked.revoke("jti-2", kT0 + hours(3)).value());
}

TEST_P(AuthRepositoryTest, AuditLogFiltersPagesNewestFirst) {
  auto& audit = db().audit_log();
  const char* actors[] = {"alice", "bob", "alice", "anonymous", "alice"};
  const AuditOutcome outcomes[] = {AuditOutcome::kSuccess, AuditOutcome::kFailure,
                                   AuditOutcome::kDenied, AuditOutcome::kFailure,
                                   AuditOutcome::kSuccess};
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(audit
                    .append({.ts = kT0 + hours(i),
                             .actor = actors[i],
                             .action = i % 2 == 0 ? "auth.login" : "user.create",
                             .target = "user:x",
                             .outcome = outcomes[i],
                             .client_ip = "10.0.0.1",
                             .details = R"({"z": 1, "a": "b"})"})
                    .ok());
  }
  auto all = audit.list({}).value();
  EXPECT_EQ(all.total, 5);
  ASSERT_EQ(all.entries.size(), 5u);
  EXPECT_EQ(all.entries[0].ts, kT0 + hours(4));
  EXPECT_EQ(all.entries[0].details, R"({"a":"b","z":1})");
  EXPECT_EQ(all.entries[0].client_ip, "10.0.0.1");
  EXPECT_FALSE(all.has_more);

  auto alice = audit.list({.actor = "alice", .limit = 2}).value();
  EXPECT_EQ(alice.total, 3);
  ASSERT_EQ(alice.entries.size(), 2u);
  EXPECT_TRUE(alice.has_more);
  EXPECT_EQ(alice.entries[1].outcome, AuditOutcome::kDenied);

  auto failures = audit.list({.outcome = AuditOutcome::kFailure}).value();
  EXPECT_EQ(failures.total, 2);
  auto logins = audit.list({.action = "auth.login", .since = kT0 + hours(1)}).value();
  EXPECT_EQ(logins.total, 2);  // hours 2 and 4
  auto window = audit.list({.since = kT0 + hours(1), .until = kT0 + hours(3), .offset = 1}).value();
  EXPECT_EQ(window.total, 2);
  ASSERT_EQ(window.entries.size(), 1u);
  EXPECT_EQ(window.entries[0].ts, kT0 + hours(1));

  EXPECT_EQ(audit.list({.limit = 0}).status().message(),
            "limit: must be between 1 and 1000, got 0");
  EXPECT_EQ(audit.append({.details = "[1]"}).status().message(), "details: not a JSON object");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthRepositoryTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tars::store
