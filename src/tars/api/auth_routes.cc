// /api/v1/auth: login, refresh, logout, the one-time login link's token, and who am I.
#include <nlohmann/json.hpp>

#include "tars/api/api.h"
#include "tars/api/auth_middleware.h"
#include "tars/api/params.h"

namespace tars::api {
namespace {

http::Response token_response(const core::Expected<auth::TokenPair>& pair) {
  if (!pair.ok()) return api_error(pair.status());
  return http::Response::json(200, nlohmann::json{{"access_token", pair->access_token},
                                                  {"refresh_token", pair->refresh_token},
                                                  {"token_type", pair->token_type},
                                                  {"expires_in", pair->expires_in}}
                                       .dump());
}

// The named string fields of the body, all required.
std::variant<std::vector<std::string>, ParamError> required_strings(
    const http::Request& request, std::initializer_list<std::string_view> names) {
  nlohmann::json body;
  if (auto error = parse_body(request, names, body)) return *error;
  std::vector<std::string> values;
  for (const auto name : names) {
    std::optional<std::string> value;
    if (auto error = read_field(body, std::string(name).c_str(), value)) return *error;
    if (!value || value->empty()) {
      return ParamError{core::invalid_argument(std::string(name) + ": required"),
                        std::string(name)};
    }
    values.push_back(std::move(*value));
  }
  return values;
}

// Runs `use(values)` with the body's required string fields, or answers 400.
template <typename Use>
http::Response with_fields(const http::Request& request,
                           std::initializer_list<std::string_view> names, Use use) {
  auto values = required_strings(request, names);
  if (auto* error = std::get_if<ParamError>(&values)) return error->response();
  return use(std::get<std::vector<std::string>>(values));
}

}  // namespace

void add_auth_routes(http::Router& router, ApiContext& context) {
  auth::AuthService& auth = context.auth;
  router.add("POST", "/api/v1/auth/login", [&auth](http::Request& request) {
    return with_fields(request, {"username", "password"}, [&](const auto& values) {
      return token_response(auth.login(values[0], values[1], request.client_ip));
    });
  });
  router.add("POST", "/api/v1/auth/refresh", [&auth](http::Request& request) {
    return with_fields(request, {"refresh_token"}, [&](const auto& values) {
      return token_response(auth.refresh(values[0], request.client_ip));
    });
  });
  router.add("POST", "/api/v1/auth/token", [&auth](http::Request& request) {
    return with_fields(request, {"token"}, [&](const auto& values) {
      return token_response(auth.exchange_login_token(values[0], request.client_ip));
    });
  });
  router.add("POST", "/api/v1/auth/logout", [&auth](http::Request& request) {
    return with_fields(request, {"refresh_token"}, [&](const auto& values) {
      if (auto status = auth.logout(values[0], request.client_ip); !status.ok()) {
        return api_error(status);
      }
      http::Response response;
      response.status = 204;
      return response;
    });
  });
  router.add(
      "GET", "/api/v1/auth/me", require(auth, auth::Role::kViewer, [](http::Request& request) {
        const auto& p = *request.principal;
        return http::Response::json(200, nlohmann::json{{"user_id", p.user_id},
                                                        {"username", p.username},
                                                        {"role", p.role},
                                                        {"kind", p.api_key ? "api_key" : "user"},
                                                        {"key_name", p.key_name}}
                                             .dump());
      }));
}

}  // namespace tars::api
