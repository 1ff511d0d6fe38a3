// AuthService: admin operations on users, API keys, signing keys and the audit log.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "tars/auth/auth_service.h"

namespace tars::auth {
namespace {

constexpr std::size_t kMaxUsernameLength = 64;

bool is_username_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
         c == '@';
}

core::Status validate_username(const std::string& username) {
  if (username.empty() || username.size() > kMaxUsernameLength ||
      !std::all_of(username.begin(), username.end(), is_username_char)) {
    return core::invalid_argument(
        fmt::format("username: must be 1-{} characters of A-Z, a-z, 0-9, '.', '_', '-' and '@'",
                    kMaxUsernameLength));
  }
  return {};
}

std::string key_target(std::int64_t id) { return fmt::format("api_key:{}", id); }

// Records as the API may show them: without password hashes.
store::UserRecord without_hash(store::UserRecord user) {
  user.password_hash.clear();
  return user;
}

}  // namespace

core::Expected<store::AuditPage> AuthService::query_audit(const Principal& actor,
                                                          const store::AuditQuery& query) {
  if (auto status = require_admin(actor, {.action = "audit.query"}); !status.ok()) return status;
  return audit_entries_.list(query);
}

core::Expected<store::UserRecord> AuthService::create_user(const Principal& actor,
                                                           const std::string& username,
                                                           const std::string& password, Role role,
                                                           const std::string& client_ip) {
  store::UserRecord user{.username = username, .role = role};
  const auto create = [&](AuditEvent&) {
    if (auto valid = validate_username(username); !valid.ok()) return valid;
    if (auto hashed = set_password(user, password); !hashed.ok()) return hashed;
    user.created_at = user.updated_at;
    auto id = users_.create(user);
    if (id.ok()) user.id = *id;
    return id.status();
  };
  auto status = admin_change(actor,
                             {.action = "user.create",
                              .target = "user:" + username.substr(0, kMaxUsernameLength),
                              .client_ip = client_ip,
                              .details = nlohmann::json{{"role", role_name(role)}}.dump()},
                             create);
  if (!status.ok()) return status;
  return without_hash(std::move(user));
}

core::Expected<std::vector<store::UserRecord>> AuthService::list_users(const Principal& actor) {
  if (auto status = require_admin(actor, {.action = "user.list"}); !status.ok()) return status;
  auto users = users_.list();
  if (!users.ok()) return users;
  std::transform(users->begin(), users->end(), users->begin(), without_hash);
  return users;
}

core::Expected<store::UserRecord> AuthService::set_role(const Principal& actor,
                                                        std::int64_t user_id, Role role,
                                                        const std::string& client_ip) {
  return update_user(actor, user_id,
                     {.action = "user.set_role",
                      .client_ip = client_ip,
                      .details = nlohmann::json{{"role", role_name(role)}}.dump()},
                     [role](store::UserRecord& user) {
                       user.role = role;
                       return core::Status();
                     });
}

core::Expected<store::UserRecord> AuthService::set_disabled(const Principal& actor,
                                                            std::int64_t user_id, bool disabled,
                                                            const std::string& client_ip) {
  return update_user(actor, user_id,
                     {.action = disabled ? "user.disable" : "user.enable", .client_ip = client_ip},
                     [disabled](store::UserRecord& user) {
                       user.disabled = disabled;
                       return core::Status();
                     });
}

core::Status AuthService::reset_password(const Principal& actor, std::int64_t user_id,
                                         const std::string& new_password,
                                         const std::string& client_ip) {
  return update_user(actor, user_id, {.action = "user.reset_password", .client_ip = client_ip},
                     [&](store::UserRecord& user) { return set_password(user, new_password); })
      .status();
}

core::Status AuthService::change_password(const Principal& actor,
                                          const std::string& current_password,
                                          const std::string& new_password,
                                          const std::string& client_ip) {
  AuditEvent event{.actor = audit_actor(actor),
                   .action = "user.change_password",
                   .target = "user:" + actor.username,
                   .client_ip = client_ip};
  if (actor.kind != PrincipalKind::kUser) {
    return refuse(event, permission_denied("an API key has no password to change"));
  }
  auto user = user_by_id(actor.user_id);
  if (!user.ok()) return refuse(event, user.status());
  if (!verify_password(current_password, user->password_hash)) {
    return refuse(event, unauthenticated("the current password is wrong"));
  }
  auto status = set_password(*user, new_password);
  if (status.ok()) status = users_.update(*user);
  if (!status.ok()) return refuse(event, status);
  audit_.write(event);
  return {};
}

core::Expected<CreatedApiKey> AuthService::create_api_key(const Principal& actor,
                                                          const std::string& name, Role role,
                                                          std::optional<core::Timestamp> expires_at,
                                                          const std::string& client_ip) {
  std::optional<CreatedApiKey> created;
  auto status =
      admin_change(actor,
                   {.action = "api_key.create",
                    .client_ip = client_ip,
                    .details = nlohmann::json{{"name", name}, {"role", role_name(role)}}.dump()},
                   [&](AuditEvent& event) {
                     if (!allows(actor.role, role)) {
                       return permission_denied("an API key's role may not exceed its creator's");
                     }
                     auto key = api_keys_.create(actor.user_id, name, role, expires_at);
                     if (!key.ok()) return key.status();
                     event.target = key_target(key->record.id);
                     created = std::move(*key);
                     return core::Status();
                   });
  if (!status.ok()) return status;
  return std::move(*created);
}

core::Expected<std::vector<store::ApiKeyRecord>> AuthService::list_api_keys(
    const Principal& actor) {
  if (auto status = require_admin(actor, {.action = "api_key.list"}); !status.ok()) return status;
  auto keys = api_key_records_.list(std::nullopt);
  if (!keys.ok()) return keys;
  for (auto& key : *keys) key.secret_hash.clear();
  return keys;
}

core::Expected<CreatedApiKey> AuthService::rotate_api_key(const Principal& actor, std::int64_t id,
                                                          const std::string& client_ip) {
  std::optional<CreatedApiKey> created;
  auto status = admin_change(
      actor, {.action = "api_key.rotate", .target = key_target(id), .client_ip = client_ip},
      [&](AuditEvent&) {
        auto key = api_keys_.rotate(id);
        if (key.ok()) created = std::move(*key);
        return key.status();
      });
  if (!status.ok()) return status;
  return std::move(*created);
}

core::Status AuthService::revoke_api_key(const Principal& actor, std::int64_t id,
                                         const std::string& client_ip) {
  return admin_change(
      actor, {.action = "api_key.revoke", .target = key_target(id), .client_ip = client_ip},
      [&](AuditEvent&) { return api_keys_.revoke(id); });
}

core::Expected<std::vector<SigningKeyInfo>> AuthService::list_signing_keys(const Principal& actor) {
  if (auto status = require_admin(actor, {.action = "signing_key.list"}); !status.ok()) {
    return status;
  }
  return keys_.list();
}

core::Expected<std::string> AuthService::rotate_signing_key(const Principal& actor,
                                                            const std::string& client_ip) {
  std::string kid;
  auto status = admin_change(actor, {.action = "signing_key.rotate", .client_ip = client_ip},
                             [&](AuditEvent& event) {
                               auto rotated = keys_.rotate();
                               if (!rotated.ok()) return rotated.status();
                               kid = std::move(*rotated);
                               event.target = "signing_key:" + kid;
                               return core::Status();
                             });
  if (!status.ok()) return status;
  return kid;
}

core::Status AuthService::invalidate_signing_key(const Principal& actor, const std::string& kid,
                                                 const std::string& client_ip) {
  return admin_change(
      actor,
      {.action = "signing_key.invalidate", .target = "signing_key:" + kid, .client_ip = client_ip},
      [&](AuditEvent&) { return keys_.invalidate(kid); });
}

core::Status AuthService::require_admin(const Principal& actor, const AuditEvent& event) {
  if (allows(actor.role, Role::kAdmin)) return {};
  AuditEvent denied = event;
  denied.actor = audit_actor(actor);
  denied.outcome = store::AuditOutcome::kDenied;
  audit_.write(denied);
  return permission_denied(fmt::format("{} needs the admin role", event.action));
}

core::Status AuthService::admin_change(const Principal& actor, AuditEvent event,
                                       const std::function<core::Status(AuditEvent&)>& change) {
  if (auto status = require_admin(actor, event); !status.ok()) return status;
  event.actor = audit_actor(actor);
  auto status = change(event);
  if (!status.ok()) {
    event.outcome =
        is_permission_denied(status) ? store::AuditOutcome::kDenied : store::AuditOutcome::kFailure;
    auto details = nlohmann::json::parse(event.details);
    details["error"] = status.message();
    event.details = details.dump();
  }
  audit_.write(event);
  return status;
}

core::Expected<store::UserRecord> AuthService::update_user(
    const Principal& actor, std::int64_t user_id, AuditEvent event,
    const std::function<core::Status(store::UserRecord&)>& change) {
  event.target = fmt::format("user:{}", user_id);
  store::UserRecord updated;
  auto status = admin_change(actor, std::move(event), [&](AuditEvent& audited) {
    auto user = user_by_id(user_id);
    if (!user.ok()) return user.status();
    audited.target = "user:" + user->username;
    updated = *user;
    if (auto changed = change(updated); !changed.ok()) return changed;
    if (auto kept = keep_an_admin(*user, updated); !kept.ok()) return kept;
    updated.updated_at = clock_();
    return users_.update(updated);
  });
  if (!status.ok()) return status;
  {
    std::lock_guard lock(current_users_mutex_);  // the change applies to the next request
    current_users_.erase(user_id);
  }
  return without_hash(std::move(updated));
}

core::Status AuthService::keep_an_admin(const store::UserRecord& user,
                                        const store::UserRecord& changed) {
  const auto is_active_admin = [](const store::UserRecord& u) {
    return u.role == Role::kAdmin && !u.disabled;
  };
  if (!is_active_admin(user) || is_active_admin(changed)) return {};
  auto users = users_.list();
  if (!users.ok()) return users.status();
  if (std::count_if(users->begin(), users->end(), is_active_admin) > 1) return {};
  return core::failed_precondition(
      fmt::format("'{}' is the last enabled admin: make another admin first", user.username));
}

core::Status AuthService::set_password(store::UserRecord& user, const std::string& password) {
  auto hash = hash_password(password, options_.password_limits);
  if (!hash.ok()) return hash.status();
  user.password_hash = std::move(*hash);
  user.updated_at = clock_();
  return {};
}

core::Expected<store::UserRecord> AuthService::user_by_id(std::int64_t user_id) {
  auto user = users_.get(user_id);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return core::not_found(fmt::format("no user {}", user_id));
  return std::move(**user);
}

}  // namespace tars::auth
