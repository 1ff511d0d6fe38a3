#include "tars/api/auth_middleware.h"

#include <fmt/format.h>

#include "tars/auth/config_keys.h"

namespace tars::api {
namespace {

http::Principal to_http(const auth::Principal& principal) {
  return {.user_id = principal.user_id,
          .username = principal.username,
          .role = std::string(auth::role_name(principal.role)),
          .api_key = principal.kind == auth::PrincipalKind::kApiKey,
          .api_key_id = principal.api_key_id,
          .key_name = principal.key_name};
}

bool is_token_route(std::string_view path) {
  return path == "/api/v1/auth/login" || path == "/api/v1/auth/refresh" ||
         path == "/api/v1/auth/token";
}

}  // namespace

http::Response api_error(const core::Status& status, std::string_view field) {
  if (auth::is_unauthenticated(status)) {
    auto response = http::error_response(401, "unauthenticated", status.message(), field);
    response.headers["WWW-Authenticate"] = "Bearer";
    return response;
  }
  if (auth::is_permission_denied(status)) {
    return http::error_response(403, "forbidden", status.message(), field);
  }
  return http::error_response(status, field);
}

auth::Principal principal_of(const http::Request& request) {
  const http::Principal& p = *request.principal;
  return {.user_id = p.user_id,
          .username = p.username,
          .role = auth::parse_role(p.role).value(),
          .kind = p.api_key ? auth::PrincipalKind::kApiKey : auth::PrincipalKind::kUser,
          .api_key_id = p.api_key_id,
          .key_name = p.key_name};
}

http::Middleware authenticate(auth::AuthService& auth) {
  return [&auth](http::Request& request, const http::Handler& next) {
    const std::string& authorization = request.header("Authorization");
    const std::string& api_key = request.header("X-API-Key");
    if (authorization.empty() && api_key.empty()) return next(request);
    core::Expected<auth::Principal> principal = core::invalid_argument("");
    if (!api_key.empty()) {
      principal = auth.authenticate_api_key(api_key, request.client_ip);
    } else if (authorization.starts_with("Bearer ")) {
      principal = auth.authenticate_bearer(authorization.substr(7));
    } else {
      return api_error(auth::unauthenticated("the Authorization header must be 'Bearer <token>'"));
    }
    if (!principal.ok()) return api_error(principal.status());
    request.principal = to_http(*principal);
    return next(request);
  };
}

http::Middleware rate_limit(auth::RateLimiter& limiter) {
  return [&limiter](http::Request& request, const http::Handler& next) {
    if (!request.path.starts_with("/api/")) return next(request);
    const auto route_class =
        is_token_route(request.path) ? auth::kLoginRouteClass : auth::kApiRouteClass;
    const std::string client = request.principal && !is_token_route(request.path)
                                   ? "user:" + request.principal->username
                                   : "ip:" + request.client_ip;
    const auto decision = limiter.check(route_class, client);
    http::Response response;
    if (decision.allowed) {
      response = next(request);
    } else {
      response = http::error_response(
          429, "rate_limited",
          fmt::format("too many requests: {} per minute for this route class; retry in {} s",
                      decision.limit, decision.retry_after_seconds));
      response.headers["Retry-After"] = std::to_string(decision.retry_after_seconds);
    }
    if (decision.limit > 0) {
      response.headers["X-RateLimit-Limit"] = std::to_string(decision.limit);
      response.headers["X-RateLimit-Remaining"] = std::to_string(decision.remaining);
      response.headers["X-RateLimit-Reset"] = std::to_string(decision.reset_after_seconds);
    }
    return response;
  };
}

std::optional<http::Response> authorize_live_feed(auth::AuthService& auth, http::Request& request) {
  if (const auto token = request.query.find("access_token"); token != request.query.end()) {
    request.headers["Authorization"] = "Bearer " + token->second;
  }
  http::Response response = authenticate(auth)(request, [](http::Request& r) {
    if (!r.principal) {
      return api_error(auth::unauthenticated(
          "the live feed needs ?access_token=, a bearer token or an API key"));
    }
    http::Response allowed;
    allowed.status = 101;
    return allowed;
  });
  if (response.status == 101) return std::nullopt;
  return response;
}

http::Handler require(auth::AuthService& auth, auth::Role need, http::Handler handler) {
  return [&auth, need, handler = std::move(handler)](http::Request& request) {
    if (!request.principal) {
      return api_error(auth::unauthenticated("this route needs a bearer token or an API key"));
    }
    const auth::Principal principal = principal_of(request);
    if (!auth::allows(principal.role, need)) {
      auth.write_audit({.actor = auth::audit_actor(principal),
                        .action = request.method + " " + request.route,
                        .target = request.path,
                        .outcome = store::AuditOutcome::kDenied,
                        .client_ip = request.client_ip});
      return api_error(auth::permission_denied(
          fmt::format("{} needs the {} role; {} has {}", request.route, auth::role_name(need),
                      principal.username, auth::role_name(principal.role))));
    }
    return handler(request);
  };
}

}  // namespace tars::api
