// Middleware every request passes through: request ids, access log, CORS and security headers.
// (Authentication, rate limits and metrics live with the modules that own them.)
#pragma once

#include <string>
#include <vector>

#include "tars/http/router.h"

namespace tars::http {

// Keeps a client's X-Request-Id when it is 1-128 characters of [A-Za-z0-9._-], else generates
// one; echoes it on the response.
Middleware request_id();

// One log line per request (logger "http"): method, target (redact_target), status, duration,
// request id, client address.
Middleware access_log();

// The target with the values of query parameters that carry credentials (token, access_token)
// replaced by "redacted", so that log files never hold a usable login link.
std::string redact_target(std::string_view target);

// Cross-origin requests from `origins` (exact matches, or "*") get Access-Control-Allow-*
// headers, and preflight OPTIONS requests are answered; other origins get none. Empty: no CORS.
Middleware cors(std::vector<std::string> origins);

// X-Content-Type-Options, X-Frame-Options, Referrer-Policy, a Content-Security-Policy for the
// dashboard, and Cache-Control: no-store on API responses.
Middleware security_headers();

}  // namespace tars::http
