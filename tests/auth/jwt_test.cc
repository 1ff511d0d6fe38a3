// HS256 tokens: claims round trip; wrong keys, other types, expired, unsigned and tampered tokens
// are refused.
#include "tars/auth/jwt.h"

#include <gtest/gtest.h>

#include "auth/auth_test_support.h"
#include "tars/auth/crypto.h"

namespace tars::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const SigningKey kKey{.kid = "k1", .secret = std::string(32, '\x07')};

TokenClaims claims(TokenType type) {
  return {.user_id = 42,
          .username = "alice",
          .role = Role::kDeveloper,
          .type = type,
          .jti = "jti-1",
          .issued_at = test::kAuthEpoch,
          .expires_at = test::kAuthEpoch + minutes(60)};
}

std::string signed_token(TokenType type) { return sign_token(claims(type), kKey).value(); }

TEST(JwtTest, ClaimsRoundTrip) {
  const std::string token = signed_token(TokenType::kAccess);
  EXPECT_EQ(token_kid(token).value(), "k1");
  auto verified = verify_token(token, kKey, TokenType::kAccess, test::kAuthEpoch);
  ASSERT_TRUE(verified.ok()) << verified.status().to_string();
  EXPECT_EQ(*verified, claims(TokenType::kAccess));
}

TEST(JwtTest, ATokenIsOnlyAcceptedAsItsOwnType) {
  for (const TokenType issued : {TokenType::kAccess, TokenType::kRefresh, TokenType::kLogin}) {
    const std::string token = signed_token(issued);
    for (const TokenType expected : {TokenType::kAccess, TokenType::kRefresh, TokenType::kLogin}) {
      auto verified = verify_token(token, kKey, expected, test::kAuthEpoch);
      EXPECT_EQ(verified.ok(), issued == expected)
          << token_type_name(issued) << " as " << token_type_name(expected);
    }
  }
  auto refresh_as_access =
      verify_token(signed_token(TokenType::kRefresh), kKey, TokenType::kAccess, test::kAuthEpoch);
  EXPECT_EQ(refresh_as_access.status().message(), "token: typ is 'refresh', expected 'access'");
}

TEST(JwtTest, ExpiresAtItsExpiry) {
  const std::string token = signed_token(TokenType::kAccess);
  const core::Timestamp expiry = test::kAuthEpoch + minutes(60);
  EXPECT_TRUE(verify_token(token, kKey, TokenType::kAccess, expiry - seconds(1)).ok());
  auto expired = verify_token(token, kKey, TokenType::kAccess, expiry);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().message(), "token: expired");
}

TEST(JwtTest, OtherKeysRefuseTheSignature) {
  const std::string token = signed_token(TokenType::kAccess);
  const SigningKey other{.kid = "k1", .secret = std::string(32, '\x08')};
  EXPECT_FALSE(verify_token(token, other, TokenType::kAccess, test::kAuthEpoch).ok());
  EXPECT_FALSE(verify_token(token, {.kid = "k1"}, TokenType::kAccess, test::kAuthEpoch).ok());
}

TEST(JwtTest, TamperedAndUnsignedTokensAreRefused) {
  const std::string token = signed_token(TokenType::kAccess);
  const std::size_t first_dot = token.find('.');
  const std::size_t second_dot = token.find('.', first_dot + 1);
  const std::string header = token.substr(0, first_dot);
  const std::string body = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const std::string signature = token.substr(second_dot + 1);
  // The original header and signature over a payload that claims the admin role.
  auto payload = claims(TokenType::kAccess);
  payload.role = Role::kAdmin;
  const std::string other = sign_token(payload, {.kid = "k1", .secret = "another key"}).value();
  const std::size_t other_first = other.find('.');
  const std::string admin_body =
      other.substr(other_first + 1, other.find('.', other_first + 1) - other_first - 1);
  ASSERT_NE(admin_body, body);
  EXPECT_FALSE(verify_token(header + "." + admin_body + "." + signature, kKey, TokenType::kAccess,
                            test::kAuthEpoch)
                   .ok());

  // alg "none", no signature.
  const std::string unsigned_token =
      base64url_encode(R"({"alg":"none","typ":"JWT","kid":"k1"})") + "." + body + ".";
  EXPECT_EQ(token_kid(unsigned_token).value(), "k1");
  EXPECT_FALSE(verify_token(unsigned_token, kKey, TokenType::kAccess, test::kAuthEpoch).ok());

  EXPECT_FALSE(verify_token("not a token", kKey, TokenType::kAccess, test::kAuthEpoch).ok());
  EXPECT_FALSE(token_kid("not a token").ok());
}

TEST(JwtTest, TokensWithoutKidHaveNoKey) {
  const std::string token = signed_token(TokenType::kAccess);
  const std::string no_kid =
      base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + token.substr(token.find('.'));
  auto kid = token_kid(no_kid);
  ASSERT_FALSE(kid.ok());
  EXPECT_EQ(kid.status().message(), "token: no kid");
}

}  // namespace
}  // namespace tars::auth
