// API keys: shown once, stored hashed, authenticated by value; rotation, revocation and expiry.
#include "tars/auth/api_keys.h"

#include <gtest/gtest.h>

#include "auth/auth_test_support.h"
#include "tars/auth/crypto.h"
#include "tars/auth/principal.h"

namespace tars::auth {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

class ApiKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    owner_ = db_->users()
                 .create({.username = "alice", .password_hash = "x", .role = Role::kAdmin})
                 .value();
  }

  // Fails the test unless `value` is refused as unauthenticated.
  void expect_refused(const std::string& value, const std::string& message) {
    auto refused = keys_.authenticate(value);
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(is_unauthenticated(refused.status()));
    EXPECT_EQ(refused.status().message(), "unauthenticated: " + message);
  }

  test::AuthTestDatabase db_;
  test::ManualClock clock_;
  ApiKeys keys_{db_->api_keys(), clock_.clock()};
  std::int64_t owner_ = 0;
};

TEST_F(ApiKeysTest, CreatedKeyIsShownOnceAndStoredHashed) {
  auto created = keys_.create(owner_, "ci", Role::kDeveloper, std::nullopt);
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  const auto parts = parse_api_key(created->key);
  ASSERT_TRUE(parts.has_value()) << created->key;
  EXPECT_EQ(created->key, "tars_" + parts->prefix + "_" + parts->secret);
  EXPECT_EQ(created->record.prefix, parts->prefix);
  EXPECT_TRUE(created->record.secret_hash.empty());

  auto stored = db_->api_keys().get(created->record.id).value();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->secret_hash, sha256_hex(parts->secret));
  EXPECT_EQ(stored->name, "ci");
  EXPECT_EQ(stored->role, Role::kDeveloper);
  EXPECT_EQ(stored->owner_id, owner_);
  EXPECT_EQ(stored->created_at, test::kAuthEpoch);
}

TEST_F(ApiKeysTest, AuthenticatesItsValueOnly) {
  const auto created = keys_.create(owner_, "ci", Role::kViewer, std::nullopt).value();
  auto key = keys_.authenticate(created.key);
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  EXPECT_EQ(key->id, created.record.id);
  EXPECT_EQ(key->role, Role::kViewer);
  EXPECT_TRUE(key->secret_hash.empty());

  std::string wrong = created.key;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  expect_refused(wrong, "unknown API key");
  std::string other_prefix = created.key;
  other_prefix[5] = other_prefix[5] == '0' ? '1' : '0';
  expect_refused(other_prefix, "unknown API key");
  expect_refused("tars_nothex", "malformed API key");
  expect_refused("", "malformed API key");
  expect_refused(created.key + "x", "malformed API key");
}

TEST_F(ApiKeysTest, RotationReplacesTheSecretAndKeepsTheRest) {
  const auto old_key =
      keys_.create(owner_, "ci", Role::kDeveloper, test::kAuthEpoch + hours(48)).value();
  clock_.advance(hours(10));
  auto rotated = keys_.rotate(old_key.record.id);
  ASSERT_TRUE(rotated.ok()) << rotated.status().to_string();
  EXPECT_NE(rotated->key, old_key.key);
  EXPECT_EQ(rotated->record.name, "ci");
  EXPECT_EQ(rotated->record.role, Role::kDeveloper);
  EXPECT_EQ(rotated->record.expires_at, test::kAuthEpoch + hours(58));  // same 48 h lifetime
  EXPECT_TRUE(keys_.authenticate(rotated->key).ok());
  expect_refused(old_key.key, "API key 'ci' is revoked");
  EXPECT_EQ(keys_.rotate(old_key.record.id).status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(keys_.rotate(999).status().code(), core::ErrorCode::kNotFound);
}

TEST_F(ApiKeysTest, RevokedKeyIsRefusedAtOnce) {
  const auto created = keys_.create(owner_, "ci", Role::kDeveloper, std::nullopt).value();
  ASSERT_TRUE(keys_.revoke(created.record.id).ok());
  expect_refused(created.key, "API key 'ci' is revoked");
  EXPECT_EQ(keys_.revoke(created.record.id).code(), core::ErrorCode::kFailedPrecondition);
  // The name is free again.
  EXPECT_TRUE(keys_.create(owner_, "ci", Role::kDeveloper, std::nullopt).ok());
}

TEST_F(ApiKeysTest, ExpiredKeyIsRefused) {
  const auto created =
      keys_.create(owner_, "ci", Role::kDeveloper, test::kAuthEpoch + hours(1)).value();
  clock_.advance(hours(1) - seconds(1));
  EXPECT_TRUE(keys_.authenticate(created.key).ok());
  clock_.advance(seconds(1));
  expect_refused(created.key, "API key 'ci' has expired");
}

TEST_F(ApiKeysTest, UseIsRecordedAtMostOnceAMinute) {
  const auto created = keys_.create(owner_, "ci", Role::kDeveloper, std::nullopt).value();
  auto last_used = [&] { return db_->api_keys().get(created.record.id).value()->last_used_at; };
  EXPECT_FALSE(last_used().has_value());
  ASSERT_TRUE(keys_.authenticate(created.key).ok());
  EXPECT_EQ(last_used(), test::kAuthEpoch);
  clock_.advance(seconds(59));
  ASSERT_TRUE(keys_.authenticate(created.key).ok());
  EXPECT_EQ(last_used(), test::kAuthEpoch);
  clock_.advance(seconds(1));
  ASSERT_TRUE(keys_.authenticate(created.key).ok());
  EXPECT_EQ(last_used(), test::kAuthEpoch + seconds(60));
}

TEST_F(ApiKeysTest, BadNamesExpiriesAndDuplicatesAreRefused) {
  EXPECT_EQ(keys_.create(owner_, "", Role::kViewer, std::nullopt).status().message(),
            "name: must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
  EXPECT_FALSE(keys_.create(owner_, "has space", Role::kViewer, std::nullopt).ok());
  EXPECT_EQ(keys_.create(owner_, "ci", Role::kViewer, test::kAuthEpoch).status().message(),
            "expires_at: must be in the future");
  ASSERT_TRUE(keys_.create(owner_, "ci", Role::kViewer, std::nullopt).ok());
  auto duplicate = keys_.create(owner_, "ci", Role::kViewer, std::nullopt);
  EXPECT_EQ(duplicate.status().code(), core::ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tars::auth
