// The auth module's facade for the HTTP API: the first admin, login / refresh / logout, request
// authentication (JWT or API key), and the admin operations on users, API keys and signing keys.
// Every login, failure, key change and admin change is written to the audit log.
//
// Errors: is_unauthenticated() ones mean "answer 401", is_permission_denied() ones "403"; other
// codes as usual (invalid_argument 400, not_found 404, failed_precondition 409, io 503).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "tars/auth/api_keys.h"
#include "tars/auth/audit.h"
#include "tars/auth/clock.h"
#include "tars/auth/key_ring.h"
#include "tars/auth/password.h"
#include "tars/auth/principal.h"
#include "tars/auth/tokens.h"
#include "tars/store/auth_repository.h"
#include "tars/store/repository.h"

namespace tars::auth {

// The first admin's username.
inline constexpr const char* kAdminUsername = "admin";

struct AuthOptions {
  TokenLifetimes lifetimes = {};
  KeyRingOptions key_ring = {};
  // Argon2id cost of new password hashes; minimum_password_limits() in tests only.
  PasswordLimits password_limits = interactive_password_limits();
  // How long a bearer token's user (its role, whether it is enabled) is remembered between
  // database lookups: changes made through this process apply at once, others within this.
  std::chrono::milliseconds user_status_ttl{1000};
};

// What bootstrap_admin did.
struct BootstrapResult {
  bool created = false;                 // false: users existed, nothing was done
  std::string username = {};            // "admin" when created
  std::string generated_password = {};  // when no password was given; never logged by auth
  std::string login_token = {};  // one-time token for exchange_login_token (the ?token= link)
};

class AuthService {
 public:
  AuthService(store::Database& database, AuthOptions options, Clock clock = system_clock());

  // On first start (no users): creates "admin" with `password` (TARS_ADMIN_PASSWORD), or a
  // generated one when empty, and a one-time login token for it. Otherwise does nothing.
  core::Expected<BootstrapResult> bootstrap_admin(const std::string& password);
  // A token pair for the one-time login token; the token is spent.
  core::Expected<TokenPair> exchange_login_token(const std::string& token,
                                                 const std::string& client_ip);
  // A token pair for valid credentials of an enabled user; otherwise unauthenticated (the same
  // message whatever was wrong).
  core::Expected<TokenPair> login(const std::string& username, const std::string& password,
                                  const std::string& client_ip);
  // A new pair for a refresh token, which is spent: using it again is refused. The new access
  // token carries the user's current role; a disabled user is refused.
  core::Expected<TokenPair> refresh(const std::string& refresh_token, const std::string& client_ip);
  // Spends the refresh token (repeating it is harmless). Access tokens live until they expire.
  core::Status logout(const std::string& refresh_token, const std::string& client_ip);

  // The principal of an "Authorization: Bearer" access token. No database access: a role change
  // or disabling applies from the user's next refresh.
  core::Expected<Principal> authenticate_bearer(const std::string& token);
  // The principal of an X-API-Key value: the key's role, capped by its owner's current role;
  // refused when the owner is disabled. Failures are audited.
  core::Expected<Principal> authenticate_api_key(const std::string& value,
                                                 const std::string& client_ip);

  // Writes an event of the caller's, e.g. a permission denial (outcome kDenied) by the server.
  void write_audit(const AuditEvent& event);
  // The audit log, for admins.
  core::Expected<store::AuditPage> query_audit(const Principal& actor,
                                               const store::AuditQuery& query);

  // Users (records come back without password_hash). Admins only, except change_password.
  core::Expected<store::UserRecord> create_user(const Principal& actor, const std::string& username,
                                                const std::string& password, Role role,
                                                const std::string& client_ip);
  core::Expected<std::vector<store::UserRecord>> list_users(const Principal& actor);
  // Refuses to demote the last enabled admin.
  core::Expected<store::UserRecord> set_role(const Principal& actor, std::int64_t user_id,
                                             Role role, const std::string& client_ip);
  // Refuses to disable the last enabled admin.
  core::Expected<store::UserRecord> set_disabled(const Principal& actor, std::int64_t user_id,
                                                 bool disabled, const std::string& client_ip);
  core::Status reset_password(const Principal& actor, std::int64_t user_id,
                              const std::string& new_password, const std::string& client_ip);
  // The actor's own password, given the current one (a user principal, not an API key).
  core::Status change_password(const Principal& actor, const std::string& current_password,
                               const std::string& new_password, const std::string& client_ip);

  // API keys, owned by the admin creating them; the role may not exceed the actor's.
  core::Expected<CreatedApiKey> create_api_key(const Principal& actor, const std::string& name,
                                               Role role, std::optional<core::Timestamp> expires_at,
                                               const std::string& client_ip);
  // Every key, newest first, without secret_hash.
  core::Expected<std::vector<store::ApiKeyRecord>> list_api_keys(const Principal& actor);
  core::Expected<CreatedApiKey> rotate_api_key(const Principal& actor, std::int64_t id,
                                               const std::string& client_ip);
  core::Status revoke_api_key(const Principal& actor, std::int64_t id,
                              const std::string& client_ip);

  // JWT signing keys.
  core::Expected<std::vector<SigningKeyInfo>> list_signing_keys(const Principal& actor);
  // Returns the new kid.
  core::Expected<std::string> rotate_signing_key(const Principal& actor,
                                                 const std::string& client_ip);
  core::Status invalidate_signing_key(const Principal& actor, const std::string& kid,
                                      const std::string& client_ip);

 private:
  // A new pair for a one-use token of `type` (refresh or login), which is spent; audited.
  core::Expected<TokenPair> redeem(const std::string& token, TokenType type, AuditEvent event);
  // Audits a refused credential and returns `error`.
  core::Status refuse(AuditEvent event, const core::Status& error);
  // The user behind a verified token, when it still exists and is enabled.
  core::Expected<store::UserRecord> active_user(std::int64_t user_id);
  // active_user as a Principal, remembered for options_.user_status_ttl (every request with a
  // bearer token asks).
  core::Expected<Principal> current_user(std::int64_t user_id);
  // Unless the actor is an admin: audits the denial and returns permission_denied.
  core::Status require_admin(const Principal& actor, const AuditEvent& event);
  // Runs an admin change: checks the actor, runs `change` (which may fill in the event's
  // target), audits its outcome.
  core::Status admin_change(const Principal& actor, AuditEvent event,
                            const std::function<core::Status(AuditEvent&)>& change);
  // An admin change of one user: loads it, applies `change`, keeps an admin, stores it.
  core::Expected<store::UserRecord> update_user(
      const Principal& actor, std::int64_t user_id, AuditEvent event,
      const std::function<core::Status(store::UserRecord&)>& change);
  // Hashes `password` into `user` (not stored yet).
  core::Status set_password(store::UserRecord& user, const std::string& password);
  // Refuses when `user` is the last enabled admin and would stop being one.
  core::Status keep_an_admin(const store::UserRecord& user, const store::UserRecord& changed);
  // The user by id with password_hash, or not_found.
  core::Expected<store::UserRecord> user_by_id(std::int64_t user_id);
  // A hash to check passwords of unknown users against, so they take as long as known ones.
  const std::string& decoy_hash();

  store::UserRepository& users_;
  store::ApiKeyRepository& api_key_records_;
  store::AuditRepository& audit_entries_;
  AuthOptions options_;
  Clock clock_;
  KeyRing keys_;
  TokenService tokens_;
  ApiKeys api_keys_;
  AuditLog audit_;
  std::once_flag decoy_once_;
  std::string decoy_hash_;  // set once by decoy_hash()
  struct RememberedUser {
    Principal principal;
    core::Timestamp until;
  };
  std::mutex current_users_mutex_;
  std::unordered_map<std::int64_t, RememberedUser> current_users_;  // by user id
};

}  // namespace tars::auth
