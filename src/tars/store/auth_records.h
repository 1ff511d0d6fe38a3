// What the database keeps for authentication: users, API keys, JWT signing keys, revoked tokens
// and the audit log. Secrets are never stored in the clear except the signing keys, which must be
// read back to verify signatures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/core/time.h"
#include "tars/store/repository.h"

namespace tars::store {

// Ordered: each role may do everything the ones before it may.
enum class Role { kViewer, kDeveloper, kAdmin };
// How an audited action ended: done, refused for bad input or credentials, or not permitted.
enum class AuditOutcome { kSuccess, kFailure, kDenied };

// "viewer", "developer", "admin".
const char* role_name(Role role);
core::Expected<Role> parse_role(std::string_view text);
// "success", "failure", "denied".
const char* audit_outcome_name(AuditOutcome outcome);
core::Expected<AuditOutcome> parse_audit_outcome(std::string_view text);

struct UserRecord {
  std::int64_t id = 0;             // assigned by the database
  std::string username = {};       // unique
  std::string password_hash = {};  // Argon2id in libsodium's encoded form (algorithm, limits, salt)
  Role role = Role::kViewer;
  bool disabled = false;  // a disabled user can neither log in nor refresh
  core::Timestamp created_at{};
  core::Timestamp updated_at{};

  bool operator==(const UserRecord&) const = default;
};

struct ApiKeyRecord {
  std::int64_t id = 0;           // assigned by the database
  std::string name = {};         // unique among keys not revoked
  std::string prefix = {};       // public, unique: identifies the key and is shown in lists
  std::string secret_hash = {};  // hex SHA-256 of the secret part of the key
  Role role = Role::kViewer;
  std::int64_t owner_id = 0;  // the user who created it
  core::Timestamp created_at{};
  std::optional<core::Timestamp> expires_at = {};    // nullopt: never expires
  std::optional<core::Timestamp> revoked_at = {};    // set by revoke and rotate
  std::optional<core::Timestamp> last_used_at = {};  // updated at most once a minute

  bool operator==(const ApiKeyRecord&) const = default;
};

struct SigningKeyRecord {
  std::string kid = {};     // key id, the JWT header's "kid"
  std::string secret = {};  // URL-safe base64 of the HMAC-SHA256 key bytes
  core::Timestamp created_at{};
  std::optional<core::Timestamp> retired_at = {};      // no longer signs; verifies until + grace
  std::optional<core::Timestamp> invalidated_at = {};  // verifies nothing from then on

  bool operator==(const SigningKeyRecord&) const = default;
};

struct AuditEntry {
  std::int64_t id = 0;  // assigned by the database
  core::Timestamp ts{};
  std::string actor = {};   // a username, "apikey:<name>", or "anonymous"
  std::string action = {};  // e.g. "auth.login", "user.create", "GET /api/v1/admin/users"
  std::string target = {};  // what it acted on, e.g. "user:alice"; may be empty
  AuditOutcome outcome = AuditOutcome::kSuccess;
  std::string client_ip = {};
  std::string details = "{}";  // JSON object, stored compact with sorted keys

  bool operator==(const AuditEntry&) const = default;
};

// Filters of the audit log query; unset ones match everything.
struct AuditQuery {
  std::optional<std::string> actor = {};
  std::optional<std::string> action = {};
  std::optional<AuditOutcome> outcome = {};
  std::optional<core::Timestamp> since = {};  // inclusive
  std::optional<core::Timestamp> until = {};  // exclusive
  int limit = kDefaultListLimit;              // 1..kMaxListLimit
  std::int64_t offset = 0;
};

// One page, newest first (ts DESC, id DESC).
struct AuditPage {
  std::vector<AuditEntry> entries = {};
  std::int64_t total = 0;  // rows matching the filters
  int limit = 0;
  std::int64_t offset = 0;
  bool has_more = false;
};

// Checks limit, offset and the time range; the error names the field.
core::Status validate(const AuditQuery& query);

}  // namespace tars::store
