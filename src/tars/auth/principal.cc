#include "tars/auth/principal.h"

namespace tars::auth {
namespace {

constexpr std::string_view kUnauthenticated = "unauthenticated: ";
constexpr std::string_view kPermissionDenied = "permission denied: ";

core::Status with_prefix(std::string_view prefix, std::string_view message) {
  return core::failed_precondition(std::string(prefix).append(message));
}

bool has_prefix(const core::Status& status, std::string_view prefix) {
  return status.code() == core::ErrorCode::kFailedPrecondition &&
         status.message().starts_with(prefix);
}

}  // namespace

std::string audit_actor(const Principal& principal) {
  return principal.kind == PrincipalKind::kApiKey ? "apikey:" + principal.key_name
                                                  : principal.username;
}

core::Status unauthenticated(std::string_view message) {
  return with_prefix(kUnauthenticated, message);
}

core::Status permission_denied(std::string_view message) {
  return with_prefix(kPermissionDenied, message);
}

bool is_unauthenticated(const core::Status& status) {
  return !status.ok() && has_prefix(status, kUnauthenticated);
}

bool is_permission_denied(const core::Status& status) {
  return !status.ok() && has_prefix(status, kPermissionDenied);
}

}  // namespace tars::auth
