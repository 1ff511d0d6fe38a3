// AuthService: the first admin, sessions (login, tokens) and request authentication. The admin
// operations are in auth_admin.cc.
#include "tars/auth/auth_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tars/auth/crypto.h"

namespace tars::auth {
namespace {

// The actor of events no person caused, such as creating the first admin.
constexpr const char* kSystemActor = "system";
// Attempted usernames are cut to this length before they reach the audit log.
constexpr std::size_t kMaxActorLength = 64;
// Generated admin passwords: 18 random bytes, 24 characters.
constexpr std::size_t kGeneratedPasswordBytes = 18;
// Users remembered by current_user at most; the memory is forgotten in one go when full.
constexpr std::size_t kRememberedUsers = 4096;

std::string reason(std::string_view text) { return nlohmann::json{{"reason", text}}.dump(); }

std::string user_target(const std::string& username) { return "user:" + username; }

}  // namespace

AuthService::AuthService(store::Database& database, AuthOptions options, Clock clock)
    : users_(database.users()),
      api_key_records_(database.api_keys()),
      audit_entries_(database.audit_log()),
      options_(options),
      clock_(std::move(clock)),
      keys_(database.signing_keys(), clock_, options_.key_ring),
      tokens_(keys_, database.revoked_tokens(), clock_, options_.lifetimes),
      api_keys_(database.api_keys(), clock_),
      audit_(database.audit_log(), clock_) {}

core::Expected<BootstrapResult> AuthService::bootstrap_admin(const std::string& password) {
  auto count = users_.count();
  if (!count.ok()) return count.status();
  if (*count > 0) return BootstrapResult{};
  if (auto valid = validate_password(password); !password.empty() && !valid.ok()) {
    return core::invalid_argument("TARS_ADMIN_PASSWORD: " + valid.message());
  }
  BootstrapResult result{.created = true, .username = kAdminUsername};
  if (password.empty()) result.generated_password = random_token(kGeneratedPasswordBytes);
  auto hash = hash_password(password.empty() ? result.generated_password : password,
                            options_.password_limits);
  if (!hash.ok()) return hash.status();
  const core::Timestamp now = clock_();
  store::UserRecord admin{.username = kAdminUsername,
                          .password_hash = std::move(*hash),
                          .role = Role::kAdmin,
                          .created_at = now,
                          .updated_at = now};
  auto id = users_.create(admin);
  // Another process created it first: there are users now.
  if (!id.ok() && id.status().code() == core::ErrorCode::kFailedPrecondition) {
    return BootstrapResult{};
  }
  if (!id.ok()) return id.status();
  admin.id = *id;
  auto token = tokens_.issue_login_token(admin);
  if (!token.ok()) return token.status();
  result.login_token = std::move(*token);
  audit_.write({.actor = kSystemActor,
                .action = "user.bootstrap",
                .target = user_target(kAdminUsername),
                .details = nlohmann::json{{"password",
                                           password.empty() ? "generated" : "TARS_ADMIN_PASSWORD"}}
                               .dump()});
  return result;
}

core::Expected<TokenPair> AuthService::exchange_login_token(const std::string& token,
                                                            const std::string& client_ip) {
  return redeem(token, TokenType::kLogin,
                {.actor = kAnonymousActor, .action = "auth.login_token", .client_ip = client_ip});
}

core::Expected<TokenPair> AuthService::login(const std::string& username,
                                             const std::string& password,
                                             const std::string& client_ip) {
  AuditEvent event{.actor = username.substr(0, kMaxActorLength),
                   .action = "auth.login",
                   .target = user_target(username.substr(0, kMaxActorLength)),
                   .client_ip = client_ip};
  auto found = users_.find(username);
  if (!found.ok()) return found.status();
  const store::UserRecord* user = found->has_value() ? &**found : nullptr;
  const bool matches = verify_password(password, user ? user->password_hash : decoy_hash());
  const char* why = !user ? "unknown user" : !matches ? "wrong password" : "user disabled";
  if (!user || !matches || user->disabled) {
    event.details = reason(why);
    return refuse(event, unauthenticated("invalid username or password"));
  }
  auto pair = tokens_.issue_pair(*user);
  if (pair.ok()) audit_.write(event);
  return pair;
}

core::Expected<TokenPair> AuthService::refresh(const std::string& refresh_token,
                                               const std::string& client_ip) {
  return redeem(refresh_token, TokenType::kRefresh,
                {.actor = kAnonymousActor, .action = "auth.refresh", .client_ip = client_ip});
}

core::Status AuthService::logout(const std::string& refresh_token, const std::string& client_ip) {
  AuditEvent event{.actor = kAnonymousActor, .action = "auth.logout", .client_ip = client_ip};
  auto claims = tokens_.verify(refresh_token, TokenType::kRefresh);
  if (!claims.ok()) return refuse(event, claims.status());
  event.actor = claims->username;
  event.target = user_target(claims->username);
  auto spent = tokens_.spend(*claims);
  if (!spent.ok()) return spent.status();
  audit_.write(event);
  return {};
}

core::Expected<Principal> AuthService::authenticate_bearer(const std::string& token) {
  auto claims = tokens_.verify(token, TokenType::kAccess);
  if (!claims.ok()) return claims.status();
  // The role and state the user has now, not the ones the token was issued with.
  return current_user(claims->user_id);
}

core::Expected<Principal> AuthService::current_user(std::int64_t user_id) {
  const core::Timestamp now = clock_();
  {
    std::lock_guard lock(current_users_mutex_);
    if (auto it = current_users_.find(user_id); it != current_users_.end()) {
      if (now < it->second.until) return it->second.principal;
      current_users_.erase(it);
    }
  }
  auto user = active_user(user_id);
  if (!user.ok()) return user.status();
  const Principal principal{.user_id = user->id, .username = user->username, .role = user->role};
  std::lock_guard lock(current_users_mutex_);
  if (current_users_.size() >= kRememberedUsers) current_users_.clear();
  current_users_[user_id] = {principal, now + options_.user_status_ttl};
  return principal;
}

core::Expected<Principal> AuthService::authenticate_api_key(const std::string& value,
                                                            const std::string& client_ip) {
  AuditEvent event{.actor = kAnonymousActor, .action = "auth.api_key", .client_ip = client_ip};
  auto key = api_keys_.authenticate(value);
  if (!key.ok()) return refuse(event, key.status());
  event.actor = "apikey:" + key->name;
  auto owner = active_user(key->owner_id);
  if (!owner.ok()) return refuse(event, owner.status());
  return Principal{.user_id = owner->id,
                   .username = owner->username,
                   .role = std::min(key->role, owner->role),
                   .kind = PrincipalKind::kApiKey,
                   .api_key_id = key->id,
                   .key_name = key->name};
}

core::Expected<TokenPair> AuthService::redeem(const std::string& token, TokenType type,
                                              AuditEvent event) {
  auto claims = tokens_.verify(token, type);
  if (!claims.ok()) return refuse(event, claims.status());
  event.actor = claims->username;
  event.target = user_target(claims->username);
  auto spent = tokens_.spend(*claims);
  if (!spent.ok()) return spent.status();
  if (!*spent) {
    return refuse(event,
                  unauthenticated(fmt::format("{} token already used", token_type_name(type))));
  }
  auto user = active_user(claims->user_id);
  if (!user.ok()) return refuse(event, user.status());
  auto pair = tokens_.issue_pair(*user);
  if (pair.ok()) audit_.write(event);
  return pair;
}

void AuthService::write_audit(const AuditEvent& event) { audit_.write(event); }

core::Status AuthService::refuse(AuditEvent event, const core::Status& error) {
  if (event.details == "{}") event.details = reason(error.message());
  event.outcome = store::AuditOutcome::kFailure;
  audit_.write(event);
  return error;
}

core::Expected<store::UserRecord> AuthService::active_user(std::int64_t user_id) {
  auto user = users_.get(user_id);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return unauthenticated(fmt::format("user {} no longer exists", user_id));
  if ((*user)->disabled) {
    return unauthenticated(fmt::format("user '{}' is disabled", (*user)->username));
  }
  return std::move(**user);
}

const std::string& AuthService::decoy_hash() {
  std::call_once(decoy_once_, [this] {
    auto hash = hash_password(random_token(), options_.password_limits);
    decoy_hash_ = hash.ok() ? *hash : std::string();
  });
  return decoy_hash_;
}

}  // namespace tars::auth
