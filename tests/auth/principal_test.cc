// A principal's audit actor, and the statuses that tell the server to answer 401 or 403.
#include "tars/auth/principal.h"

#include <gtest/gtest.h>

namespace tars::auth {
namespace {

TEST(PrincipalTest, AuditActorIsTheUsernameOrTheKeyName) {
  EXPECT_EQ(audit_actor({.username = "alice"}), "alice");
  EXPECT_EQ(audit_actor({.username = "alice", .kind = PrincipalKind::kApiKey, .key_name = "ci"}),
            "apikey:ci");
}

TEST(PrincipalTest, AuthFailuresAreRecognisedAndNothingElseIs) {
  const core::Status unknown = unauthenticated("invalid username or password");
  EXPECT_EQ(unknown.message(), "unauthenticated: invalid username or password");
  EXPECT_TRUE(is_unauthenticated(unknown));
  EXPECT_FALSE(is_permission_denied(unknown));

  const core::Status denied = permission_denied("user.create needs the admin role");
  EXPECT_TRUE(is_permission_denied(denied));
  EXPECT_FALSE(is_unauthenticated(denied));

  EXPECT_FALSE(is_unauthenticated(core::Status()));
  EXPECT_FALSE(is_unauthenticated(core::failed_precondition("username 'a' is taken")));
  EXPECT_FALSE(is_unauthenticated(core::invalid_argument("unauthenticated: not this code")));
}

}  // namespace
}  // namespace tars::auth
