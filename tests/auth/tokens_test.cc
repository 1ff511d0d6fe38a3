// Token pairs and one-time tokens: types, lifetimes, expiry on the injected clock, spending.
#include "tars/auth/tokens.h"

#include <gtest/gtest.h>

#include "auth/auth_test_support.h"
#include "tars/auth/principal.h"

namespace tars::auth {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class TokensTest : public ::testing::Test {
 protected:
  test::AuthTestDatabase db_;
  test::ManualClock clock_;
  KeyRing keys_{db_->signing_keys(), clock_.clock()};
  TokenService tokens_{keys_, db_->revoked_tokens(), clock_.clock(), TokenLifetimes{}};
  const store::UserRecord user_{.id = 7, .username = "alice", .role = Role::kDeveloper};
};

TEST_F(TokensTest, PairCarriesTheUserAndEachTokenItsType) {
  auto pair = tokens_.issue_pair(user_);
  ASSERT_TRUE(pair.ok()) << pair.status().to_string();
  EXPECT_EQ(pair->token_type, "bearer");
  EXPECT_EQ(pair->expires_in, 3600);
  auto access = tokens_.verify(pair->access_token, TokenType::kAccess);
  ASSERT_TRUE(access.ok()) << access.status().to_string();
  EXPECT_EQ(access->user_id, 7);
  EXPECT_EQ(access->username, "alice");
  EXPECT_EQ(access->role, Role::kDeveloper);
  EXPECT_EQ(access->expires_at, test::kAuthEpoch + minutes(60));
  auto refresh = tokens_.verify(pair->refresh_token, TokenType::kRefresh);
  ASSERT_TRUE(refresh.ok());
  EXPECT_EQ(refresh->expires_at, test::kAuthEpoch + hours(24 * 7));
  EXPECT_NE(refresh->jti, access->jti);

  auto confused = tokens_.verify(pair->refresh_token, TokenType::kAccess);
  ASSERT_FALSE(confused.ok());
  EXPECT_TRUE(is_unauthenticated(confused.status())) << confused.status().to_string();
  EXPECT_FALSE(tokens_.verify(pair->access_token, TokenType::kRefresh).ok());
}

TEST_F(TokensTest, AccessTokenExpiresAfterSixtyMinutes) {
  const std::string access = tokens_.issue_pair(user_).value().access_token;
  clock_.advance(minutes(60) - seconds(1));
  EXPECT_TRUE(tokens_.verify(access, TokenType::kAccess).ok());
  clock_.advance(seconds(1));
  auto expired = tokens_.verify(access, TokenType::kAccess);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().message(), "unauthenticated: token: expired");
}

TEST_F(TokensTest, InvalidatedKeyRefusesItsTokens) {
  const std::string access = tokens_.issue_pair(user_).value().access_token;
  ASSERT_TRUE(keys_.invalidate(keys_.signing_key().value().kid).ok());
  auto refused = tokens_.verify(access, TokenType::kAccess);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(is_unauthenticated(refused.status()));
  EXPECT_TRUE(
      tokens_.verify(tokens_.issue_pair(user_).value().access_token, TokenType::kAccess).ok());
}

TEST_F(TokensTest, AVerifiedTokenIsRefusedOnceItsKeyIsInvalidated) {
  const std::string access = tokens_.issue_pair(user_).value().access_token;
  ASSERT_TRUE(tokens_.verify(access, TokenType::kAccess).ok());  // remembered as verified
  ASSERT_TRUE(keys_.invalidate(keys_.signing_key().value().kid).ok());
  auto refused = tokens_.verify(access, TokenType::kAccess);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(is_unauthenticated(refused.status()));
}

TEST_F(TokensTest, ATokenIsSpentOnce) {
  auto login = tokens_.verify(tokens_.issue_login_token(user_).value(), TokenType::kLogin);
  ASSERT_TRUE(login.ok()) << login.status().to_string();
  EXPECT_EQ(login->expires_at, test::kAuthEpoch + hours(24));
  EXPECT_TRUE(tokens_.spend(*login).value());
  EXPECT_FALSE(tokens_.spend(*login).value());
}

TEST_F(TokensTest, ExpiredSpentTokensAreForgottenHourly) {
  const auto first =
      tokens_.verify(tokens_.issue_pair(user_).value().access_token,
                     TokenType::kAccess)
          .value();  // expires in 60 min
  ASSERT_TRUE(tokens_.spend(first).value());
  clock_.advance(hours(2));
  const auto second =
      tokens_.verify(tokens_.issue_pair(user_).value().access_token, TokenType::kAccess).value();
  ASSERT_TRUE(tokens_.spend(second).value());  // purges first
  EXPECT_TRUE(db_->revoked_tokens().revoke(first.jti, first.expires_at).value());
  EXPECT_FALSE(db_->revoked_tokens().revoke(second.jti, second.expires_at).value());
}

}  // namespace
}  // namespace tars::auth
