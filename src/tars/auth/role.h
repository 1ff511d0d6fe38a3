// Roles, ordered viewer < developer < admin: each may do everything the ones before it may.
#pragma once

#include "tars/store/auth_records.h"

namespace tars::auth {

using store::parse_role;  // "viewer" | "developer" | "admin"; the error lists them
using store::Role;
using store::role_name;

// Whether a principal with role `have` may do what needs role `need`.
constexpr bool allows(Role have, Role need) { return have >= need; }

}  // namespace tars::auth
