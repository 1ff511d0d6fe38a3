// /api/v1/admin: users, API keys, signing keys and the audit log (admins only; AuthService
// audits every change).
#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "tars/api/api.h"
#include "tars/api/auth_middleware.h"
#include "tars/api/params.h"

namespace tars::api {
namespace {

using nlohmann::json;

json optional_time(const std::optional<core::Timestamp>& t) {
  return t ? json(core::format_iso8601(*t)) : json();
}

json user_json(const store::UserRecord& user) {
  return {{"id", user.id},
          {"username", user.username},
          {"role", auth::role_name(user.role)},
          {"disabled", user.disabled},
          {"created_at", core::format_iso8601(user.created_at)},
          {"updated_at", core::format_iso8601(user.updated_at)}};
}

json key_json(const store::ApiKeyRecord& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"prefix", key.prefix},
          {"role", auth::role_name(key.role)},
          {"owner_id", key.owner_id},
          {"created_at", core::format_iso8601(key.created_at)},
          {"expires_at", optional_time(key.expires_at)},
          {"revoked_at", optional_time(key.revoked_at)},
          {"last_used_at", optional_time(key.last_used_at)}};
}

// The created (or rotated) key: its record and, this once, its secret.
http::Response created_key(const core::Expected<auth::CreatedApiKey>& created, int status) {
  if (!created.ok()) return api_error(created.status());
  json body = key_json(created->record);
  body["key"] = created->key;
  return http::Response::json(status, body.dump());
}

template <typename T, typename ToJson>
http::Response list_json(const core::Expected<std::vector<T>>& items, const char* name,
                         ToJson to_json) {
  if (!items.ok()) return api_error(items.status());
  json array = json::array();
  for (const auto& item : *items) array.push_back(to_json(item));
  return http::Response::json(200, json{{name, array}}.dump());
}

http::Response no_content(const core::Status& status) {
  if (!status.ok()) return api_error(status);
  http::Response response;
  response.status = 204;
  return response;
}

std::optional<std::int64_t> path_id(const http::Request& request) {
  const std::string& text = request.path_params.at("id");
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 1) return std::nullopt;
  return id;
}

http::Response bad_id(const http::Request& request) {
  return http::error_response(
      400, "invalid_argument",
      fmt::format("id: '{}' is not a positive integer", request.path_params.at("id")), "id");
}

std::optional<ParamError> read_role(const json& body, std::optional<auth::Role>& out) {
  std::optional<std::string> text;
  if (auto error = read_field(body, "role", text)) return error;
  if (!text) return std::nullopt;
  auto role = auth::parse_role(*text);
  if (!role.ok()) return ParamError{role.status(), "role"};
  out = *role;
  return std::nullopt;
}

http::Response create_user(auth::AuthService& auth, const http::Request& request) {
  json body;
  if (auto error = parse_body(request, {"username", "password", "role"}, body)) {
    return error->response();
  }
  std::optional<std::string> username, password;
  std::optional<auth::Role> role;
  for (auto error : {read_field(body, "username", username), read_field(body, "password", password),
                     read_role(body, role)}) {
    if (error) return error->response();
  }
  auto user = auth.create_user(principal_of(request), username.value_or(""), password.value_or(""),
                               role.value_or(auth::Role::kViewer), request.client_ip);
  if (!user.ok()) return api_error(user.status());
  return http::Response::json(201, user_json(*user).dump());
}

http::Response update_user(auth::AuthService& auth, const http::Request& request) {
  const auto id = path_id(request);
  if (!id) return bad_id(request);
  json body;
  if (auto error = parse_body(request, {"role", "disabled", "password"}, body)) {
    return error->response();
  }
  std::optional<auth::Role> role;
  std::optional<bool> disabled;
  std::optional<std::string> password;
  for (auto error : {read_role(body, role), read_field(body, "disabled", disabled),
                     read_field(body, "password", password)}) {
    if (error) return error->response();
  }
  const auth::Principal actor = principal_of(request);
  core::Expected<store::UserRecord> user = core::invalid_argument("nothing to change");
  if (role) user = auth.set_role(actor, *id, *role, request.client_ip);
  if (user.ok() && disabled) user = auth.set_disabled(actor, *id, *disabled, request.client_ip);
  if (user.ok() && password) {
    if (auto status = auth.reset_password(actor, *id, *password, request.client_ip); !status.ok()) {
      return api_error(status);
    }
  }
  if (!user.ok()) return api_error(user.status());
  return http::Response::json(200, user_json(*user).dump());
}

http::Response create_key(auth::AuthService& auth, const http::Request& request) {
  json body;
  if (auto error = parse_body(request, {"name", "role", "expires_at"}, body)) {
    return error->response();
  }
  std::optional<std::string> name, expires_text;
  std::optional<auth::Role> role;
  for (auto error : {read_field(body, "name", name), read_role(body, role),
                     read_field(body, "expires_at", expires_text)}) {
    if (error) return error->response();
  }
  std::optional<core::Timestamp> expires_at;
  if (expires_text) {
    auto parsed = core::parse_iso8601(*expires_text);
    if (!parsed.ok()) return http::error_response(parsed.status(), "expires_at");
    expires_at = *parsed;
  }
  return created_key(
      auth.create_api_key(principal_of(request), name.value_or(""),
                          role.value_or(auth::Role::kViewer), expires_at, request.client_ip),
      201);
}

http::Response audit(auth::AuthService& auth, const http::Request& request) {
  if (auto error = check_known(
          request, {"actor", "action", "outcome", "since", "until", "limit", "offset"})) {
    return error->response();
  }
  store::AuditQuery query;
  query.actor = read_text(request, "actor");
  query.action = read_text(request, "action");
  if (auto outcome = read_text(request, "outcome")) {
    auto parsed = store::parse_audit_outcome(*outcome);
    if (!parsed.ok()) return http::error_response(parsed.status(), "outcome");
    query.outcome = *parsed;
  }
  std::int64_t limit = query.limit;
  for (auto error :
       {read_int(request, "limit", 1, store::kMaxListLimit, limit),
        read_int(request, "offset", 0, std::numeric_limits<std::int64_t>::max(), query.offset),
        read_time(request, "since", query.since), read_time(request, "until", query.until)}) {
    if (error) return error->response();
  }
  query.limit = static_cast<int>(limit);
  auto page = auth.query_audit(principal_of(request), query);
  if (!page.ok()) return api_error(page.status());
  json entries = json::array();
  for (const auto& entry : page->entries) {
    entries.push_back({{"id", entry.id},
                       {"ts", core::format_iso8601(entry.ts)},
                       {"actor", entry.actor},
                       {"action", entry.action},
                       {"target", entry.target},
                       {"outcome", store::audit_outcome_name(entry.outcome)},
                       {"client_ip", entry.client_ip},
                       {"details", json::parse(entry.details, nullptr, false)}});
  }
  return http::Response::json(200, json{{"entries", entries},
                                        {"total", page->total},
                                        {"limit", page->limit},
                                        {"offset", page->offset},
                                        {"has_more", page->has_more}}
                                       .dump());
}

}  // namespace

void add_admin_routes(http::Router& router, ApiContext& context) {
  auth::AuthService& auth = context.auth;
  auto admin = [&auth](auto body) {
    return require(auth, auth::Role::kAdmin,
                   [&auth, body](http::Request& r) { return body(auth, r); });
  };
  router.add("GET", "/api/v1/admin/users", admin([](auth::AuthService& a, http::Request& r) {
               return list_json(a.list_users(principal_of(r)), "users", user_json);
             }));
  router.add("POST", "/api/v1/admin/users", admin(create_user));
  router.add("PATCH", "/api/v1/admin/users/{id}", admin(update_user));
  router.add("GET", "/api/v1/admin/api-keys", admin([](auth::AuthService& a, http::Request& r) {
               return list_json(a.list_api_keys(principal_of(r)), "api_keys", key_json);
             }));
  router.add("POST", "/api/v1/admin/api-keys", admin(create_key));
  router.add("POST", "/api/v1/admin/api-keys/{id}/rotate",
             admin([](auth::AuthService& a, http::Request& r) {
               const auto id = path_id(r);
               if (!id) return bad_id(r);
               return created_key(a.rotate_api_key(principal_of(r), *id, r.client_ip), 200);
             }));
  router.add("DELETE", "/api/v1/admin/api-keys/{id}",
             admin([](auth::AuthService& a, http::Request& r) {
               const auto id = path_id(r);
               if (!id) return bad_id(r);
               return no_content(a.revoke_api_key(principal_of(r), *id, r.client_ip));
             }));
  router.add("GET", "/api/v1/admin/signing-keys", admin([](auth::AuthService& a, http::Request& r) {
               return list_json(a.list_signing_keys(principal_of(r)), "signing_keys",
                                [](const auth::SigningKeyInfo& key) {
                                  return json{{"kid", key.kid},
                                              {"created_at", core::format_iso8601(key.created_at)},
                                              {"retired_at", optional_time(key.retired_at)},
                                              {"invalidated_at", optional_time(key.invalidated_at)},
                                              {"signing", key.signing},
                                              {"verifies", key.verifies}};
                                });
             }));
  router.add("POST", "/api/v1/admin/signing-keys/rotate",
             admin([](auth::AuthService& a, http::Request& r) {
               auto kid = a.rotate_signing_key(principal_of(r), r.client_ip);
               if (!kid.ok()) return api_error(kid.status());
               return http::Response::json(200, json{{"kid", *kid}}.dump());
             }));
  router.add("POST", "/api/v1/admin/signing-keys/{kid}/invalidate",
             admin([](auth::AuthService& a, http::Request& r) {
               return no_content(
                   a.invalidate_signing_key(principal_of(r), r.path_params.at("kid"), r.client_ip));
             }));
  router.add("GET", "/api/v1/admin/audit", admin(audit));
}

}  // namespace tars::api
