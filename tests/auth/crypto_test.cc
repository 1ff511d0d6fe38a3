// Random tokens, URL-safe base64, SHA-256 and constant-time comparison.
#include "tars/auth/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace tars::auth {
namespace {

TEST(CryptoTest, RandomTokensAreUrlSafeAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = random_token();
    EXPECT_EQ(token.size(), 43u);
    EXPECT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(random_hex(6).size(), 12u);
  EXPECT_EQ(random_bytes(5).size(), 5u);
}

TEST(CryptoTest, Base64UrlRoundTripsEveryByte) {
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  const std::string text = base64url_encode(bytes);
  EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
  auto decoded = base64url_decode(text);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, bytes);
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(CryptoTest, Base64UrlRejectsOtherAlphabetsAndPadding) {
  EXPECT_FALSE(base64url_decode("+/8").ok());
  EXPECT_FALSE(base64url_decode("-_8=").ok());
  EXPECT_FALSE(base64url_decode("a").ok());
  EXPECT_EQ(base64url_decode("").value(), "");
}

TEST(CryptoTest, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, ConstantTimeEqualComparesSizeAndContent) {
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secret2"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

}  // namespace
}  // namespace tars::auth
