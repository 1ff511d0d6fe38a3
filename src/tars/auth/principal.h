// Who is making a request, once authenticated, and how auth failures are reported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tars/auth/role.h"
#include "tars/core/status.h"

namespace tars::auth {

enum class PrincipalKind { kUser, kApiKey };

// The audit log's actor when nobody is authenticated.
inline constexpr const char* kAnonymousActor = "anonymous";

struct Principal {
  std::int64_t user_id = 0;   // the user, or the API key's owner
  std::string username = {};  // the user, or the API key's owner
  Role role = Role::kViewer;  // what the request may do (a key's role, capped by its owner's)
  PrincipalKind kind = PrincipalKind::kUser;
  std::int64_t api_key_id = 0;  // kApiKey only
  std::string key_name = {};    // kApiKey only
};

// The audit log's actor: the username, or "apikey:<name>" for an API key.
std::string audit_actor(const Principal& principal);

// Bad, expired, revoked or spent credentials: "answer 401". The message starts with
// "unauthenticated: ". (Encoded as kFailedPrecondition plus that prefix until core::ErrorCode has
// codes of its own; test with is_unauthenticated, never by hand.)
core::Status unauthenticated(std::string_view message);
// An authenticated principal whose role does not allow the call: "answer 403". The message
// starts with "permission denied: ".
core::Status permission_denied(std::string_view message);
bool is_unauthenticated(const core::Status& status);
bool is_permission_denied(const core::Status& status);

}  // namespace tars::auth
