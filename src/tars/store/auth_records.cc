#include "tars/store/auth_records.h"

#include <fmt/format.h>

#include <array>

namespace tars::store {
namespace {

constexpr std::array kRoles{Role::kViewer, Role::kDeveloper, Role::kAdmin};
constexpr std::array kOutcomes{AuditOutcome::kSuccess, AuditOutcome::kFailure,
                               AuditOutcome::kDenied};

// The value of `values` whose name is `text`; the error lists the names.
template <typename Enum, std::size_t N>
core::Expected<Enum> parse_enum(std::string_view field, std::string_view text,
                                const std::array<Enum, N>& values, const char* (*name)(Enum)) {
  std::string allowed;
  for (const Enum value : values) {
    if (text == name(value)) return value;
    allowed += fmt::format("{}{}", allowed.empty() ? "" : ", ", name(value));
  }
  return core::invalid_argument(
      fmt::format("{}: expected one of {}, got '{}'", field, allowed, text));
}

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kDeveloper:
      return "developer";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

core::Expected<Role> parse_role(std::string_view text) {
  return parse_enum("role", text, kRoles, role_name);
}

const char* audit_outcome_name(AuditOutcome outcome) {
  switch (outcome) {
    case AuditOutcome::kSuccess:
      return "success";
    case AuditOutcome::kFailure:
      return "failure";
    case AuditOutcome::kDenied:
      return "denied";
  }
  return "unknown";
}

core::Expected<AuditOutcome> parse_audit_outcome(std::string_view text) {
  return parse_enum("outcome", text, kOutcomes, audit_outcome_name);
}

core::Status validate(const AuditQuery& query) {
  return validate(EvaluationQuery{.created_since = query.since,
                                  .created_until = query.until,
                                  .limit = query.limit,
                                  .offset = query.offset});
}

}  // namespace tars::store
