// Signing keys: one signs; rotation keeps the old key verifying for the grace period only;
// invalidation stops it at once; other processes see changes through the database.
#include "tars/auth/key_ring.h"

#include <gtest/gtest.h>

#include "auth/auth_test_support.h"
#include "tars/store/auth_repository.h"

namespace tars::auth {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class KeyRingTest : public ::testing::Test {
 protected:
  KeyRing make_ring() { return KeyRing(db_->signing_keys(), clock_.clock(), {.grace = hours(24)}); }

  test::AuthTestDatabase db_;
  test::ManualClock clock_;
  KeyRing ring_ = make_ring();
};

TEST_F(KeyRingTest, FirstUseCreatesOneSigningKey) {
  auto key = ring_.signing_key();
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  EXPECT_EQ(key->secret.size(), 32u);
  EXPECT_EQ(ring_.signing_key().value().kid, key->kid);
  EXPECT_EQ(ring_.verification_key(key->kid).value().secret, key->secret);
  EXPECT_EQ(db_->signing_keys().list().value().size(), 1u);
}

TEST_F(KeyRingTest, RetiredKeyVerifiesDuringTheGracePeriodOnly) {
  const SigningKey old_key = ring_.signing_key().value();
  clock_.advance(hours(1));
  auto new_kid = ring_.rotate();
  ASSERT_TRUE(new_kid.ok()) << new_kid.status().to_string();
  EXPECT_NE(*new_kid, old_key.kid);
  EXPECT_EQ(ring_.signing_key().value().kid, *new_kid);

  clock_.advance(hours(24) - seconds(1));
  EXPECT_TRUE(ring_.verification_key(old_key.kid).ok());
  clock_.advance(seconds(1));
  auto refused = ring_.verification_key(old_key.kid);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "signing key '" + old_key.kid + "' no longer verifies");
  EXPECT_TRUE(ring_.verification_key(*new_kid).ok());
}

TEST_F(KeyRingTest, InvalidatedKeyStopsAtOnceAndIsReplaced) {
  const SigningKey old_key = ring_.signing_key().value();
  ASSERT_TRUE(ring_.invalidate(old_key.kid).ok());
  EXPECT_FALSE(ring_.verification_key(old_key.kid).ok());
  const SigningKey replacement = ring_.signing_key().value();
  EXPECT_NE(replacement.kid, old_key.kid);

  EXPECT_EQ(ring_.invalidate(old_key.kid).code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(ring_.invalidate("no-such-kid").code(), core::ErrorCode::kNotFound);
  auto unknown = ring_.verification_key("no-such-kid");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "unknown signing key 'no-such-kid'");
}

TEST_F(KeyRingTest, InvalidatingARetiredKeyKeepsTheSigningKey) {
  const SigningKey old_key = ring_.signing_key().value();
  const std::string new_kid = ring_.rotate().value();
  ASSERT_TRUE(ring_.invalidate(old_key.kid).ok());
  EXPECT_FALSE(ring_.verification_key(old_key.kid).ok());  // inside the grace period
  EXPECT_EQ(ring_.signing_key().value().kid, new_kid);
}

TEST_F(KeyRingTest, ListShowsWhichKeySignsAndWhichVerify) {
  const std::string first = ring_.signing_key().value().kid;
  clock_.advance(minutes(1));
  const std::string second = ring_.rotate().value();
  clock_.advance(minutes(1));
  const std::string third = ring_.rotate().value();
  ASSERT_TRUE(ring_.invalidate(second).ok());
  clock_.advance(hours(25));
  auto keys = ring_.list().value();
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].kid, third);
  EXPECT_TRUE(keys[0].signing);
  EXPECT_TRUE(keys[0].verifies);
  EXPECT_EQ(keys[1].kid, second);
  EXPECT_FALSE(keys[1].verifies);
  EXPECT_TRUE(keys[1].invalidated_at.has_value());
  EXPECT_EQ(keys[2].kid, first);
  EXPECT_FALSE(keys[2].signing);
  EXPECT_FALSE(keys[2].verifies);  // grace over
  EXPECT_EQ(keys[2].retired_at, test::kAuthEpoch + minutes(1));
}

TEST_F(KeyRingTest, AnotherProcessSeesNewKeysAndInvalidations) {
  KeyRing other = make_ring();
  const std::string first = other.signing_key().value().kid;
  EXPECT_EQ(ring_.signing_key().value().kid, first);

  const std::string rotated = ring_.rotate().value();
  // An unknown kid is looked up again, at most once a second.
  EXPECT_FALSE(other.verification_key(rotated).ok());
  clock_.advance(seconds(1));
  EXPECT_TRUE(other.verification_key(rotated).ok());

  ASSERT_TRUE(ring_.invalidate(rotated).ok());
  EXPECT_TRUE(other.verification_key(rotated).ok());  // cached
  clock_.advance(seconds(10));
  EXPECT_FALSE(other.verification_key(rotated).ok());  // reloaded
}

}  // namespace
}  // namespace tars::auth
