// Authentication, rate limits and role checks for the API routes.
#pragma once

#include "tars/auth/auth_service.h"
#include "tars/auth/rate_limiter.h"
#include "tars/http/router.h"

namespace tars::api {

// Reads `Authorization: Bearer <jwt>` or `X-API-Key`; fills request.principal, or answers 401
// for credentials that are present but bad. Requests without credentials pass on anonymous.
http::Middleware authenticate(auth::AuthService& auth);

// Limits /api/ requests per client (the principal, else the address) and route class ("login"
// for the token endpoints, "api" otherwise): X-RateLimit-* headers always, 429 with Retry-After
// when the bucket is empty.
http::Middleware rate_limit(auth::RateLimiter& limiter);

// `handler` for principals whose role allows `need`: 401 without one, 403 (audited) otherwise.
http::Handler require(auth::AuthService& auth, auth::Role need, http::Handler handler);

// The /ws/live upgrade check: browsers cannot set headers on a WebSocket, so besides
// Authorization and X-API-Key the access token may come as ?access_token=; viewers and up.
std::optional<http::Response> authorize_live_feed(auth::AuthService& auth, http::Request& request);

// The auth principal of an authenticated request.
auth::Principal principal_of(const http::Request& request);

// Maps auth's unauthenticated / permission-denied errors to 401 / 403, the rest as
// http::error_response does.
http::Response api_error(const core::Status& status, std::string_view field = {});

}  // namespace tars::api
