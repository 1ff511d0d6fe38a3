// Roles are ordered viewer < developer < admin, and parse from and format to their names.
#include "tars/auth/role.h"

#include <gtest/gtest.h>

namespace tars::auth {
namespace {

TEST(RoleTest, EachRoleAllowsItselfAndTheRolesBelow) {
  EXPECT_TRUE(allows(Role::kAdmin, Role::kViewer));
  EXPECT_TRUE(allows(Role::kAdmin, Role::kDeveloper));
  EXPECT_TRUE(allows(Role::kAdmin, Role::kAdmin));
  EXPECT_TRUE(allows(Role::kDeveloper, Role::kViewer));
  EXPECT_TRUE(allows(Role::kDeveloper, Role::kDeveloper));
  EXPECT_FALSE(allows(Role::kDeveloper, Role::kAdmin));
  EXPECT_TRUE(allows(Role::kViewer, Role::kViewer));
  EXPECT_FALSE(allows(Role::kViewer, Role::kDeveloper));
  EXPECT_FALSE(allows(Role::kViewer, Role::kAdmin));
}

TEST(RoleTest, NamesRoundTrip) {
  for (const Role role : {Role::kViewer, Role::kDeveloper, Role::kAdmin}) {
    auto parsed = parse_role(role_name(role));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_STREQ(role_name(Role::kDeveloper), "developer");
}

TEST(RoleTest, UnknownNameListsTheRoles) {
  auto parsed = parse_role("root");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "role: expected one of viewer, developer, admin, got 'root'");
  EXPECT_FALSE(parse_role("Admin").ok());
}

}  // namespace
}  // namespace tars::auth
