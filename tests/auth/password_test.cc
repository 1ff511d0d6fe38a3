// Argon2id password hashes: round trip, wrong passwords, and the length rules.
#include "tars/auth/password.h"

#include <gtest/gtest.h>

namespace tars::auth {
namespace {

TEST(PasswordTest, HashVerifiesOnlyItsPassword) {
  auto hash = hash_password("correct horse", minimum_password_limits());
  ASSERT_TRUE(hash.ok()) << hash.status().to_string();
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(verify_password("correct horse", *hash));
  EXPECT_FALSE(verify_password("correct horsE", *hash));
  EXPECT_FALSE(verify_password("", *hash));
}

TEST(PasswordTest, SaltMakesEveryHashDifferent) {
  const auto limits = minimum_password_limits();
  EXPECT_NE(hash_password("same password", limits).value(),
            hash_password("same password", limits).value());
}

TEST(PasswordTest, HashesCarryTheirLimits) {
  auto interactive = hash_password("interactive!", interactive_password_limits());
  ASSERT_TRUE(interactive.ok());
  EXPECT_NE(interactive->find("m=65536,t=2"), std::string::npos) << *interactive;
  EXPECT_TRUE(verify_password("interactive!", *interactive));
}

TEST(PasswordTest, LengthIsChecked) {
  auto short_one = hash_password("1234567", minimum_password_limits());
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(short_one.status().message(), "password: must be at least 8 characters");
  EXPECT_TRUE(validate_password("12345678").ok());
  EXPECT_EQ(validate_password(std::string(1025, 'x')).message(),
            "password: must be at most 1024 characters");
}

TEST(PasswordTest, MalformedHashVerifiesNothing) {
  EXPECT_FALSE(verify_password("whatever1", ""));
  EXPECT_FALSE(verify_password("whatever1", "$argon2id$v=19$garbage"));
  EXPECT_FALSE(verify_password("whatever1", std::string(500, 'x')));
}

}  // namespace
}  // namespace tars::auth
