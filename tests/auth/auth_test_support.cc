#include "auth/auth_test_support.h"

#include <gtest/gtest.h>

#include "tars/store/sqlite/sqlite_database.h"

namespace tars::test {

AuthTestDatabase::AuthTestDatabase() {
  auto opened = store::open_sqlite({.path = (dir_.path() / "auth.db").string()});
  if (!opened.ok()) {
    ADD_FAILURE() << opened.status().to_string();
    return;
  }
  database_ = std::move(*opened);
  if (auto applied = database_->migrate(); !applied.ok()) {
    ADD_FAILURE() << applied.status().to_string();
  }
}

auth::AuthOptions fast_auth_options() {
  return {.password_limits = auth::minimum_password_limits()};
}

auth::Principal admin_principal() {
  return {.user_id = 1, .username = "admin", .role = auth::Role::kAdmin};
}

}  // namespace tars::test
