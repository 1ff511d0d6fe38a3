#include "tars/http/middleware.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>

#include "tars/core/log.h"

namespace tars::http {
namespace {

bool is_valid_request_id(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
  });
}

// 16 hex digits from a per-process random prefix and a counter: unique, cheap, not secret.
std::string new_request_id() {
  static const std::uint64_t prefix = std::random_device{}();
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("{:08x}{:08x}", prefix & 0xffffffffu, counter.fetch_add(1) & 0xffffffffu);
}

}  // namespace

Middleware request_id() {
  return [](Request& request, const Handler& next) {
    const std::string& given = request.header("X-Request-Id");
    request.request_id = is_valid_request_id(given) ? given : new_request_id();
    Response response = next(request);
    response.headers["X-Request-Id"] = request.request_id;
    return response;
  };
}

Middleware access_log() {
  return [logger = core::Logger("http")](Request& request, const Handler& next) {
    const auto start = std::chrono::steady_clock::now();
    Response response = next(request);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    logger.info("{} {} {} {:.3f}ms id={} client={}", request.method, redact_target(request.target),
                response.status, ms, request.request_id, request.client_ip);
    return response;
  };
}

std::string redact_target(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, question + 1));
  std::string_view query = target.substr(question + 1);
  bool first = true;
  while (!query.empty() || first) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::string_view name = pair.substr(0, pair.find('='));
    if (!first) out += '&';
    out += (name == "token" || name == "access_token") ? std::string(name) + "=redacted"
                                                       : std::string(pair);
    first = false;
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return out;
}

Middleware cors(std::vector<std::string> origins) {
  return [origins = std::move(origins)](Request& request, const Handler& next) {
    const std::string& origin = request.header("Origin");
    const bool allowed =
        !origin.empty() && std::any_of(origins.begin(), origins.end(),
                                       [&](const auto& o) { return o == "*" || o == origin; });
    const bool preflight =
        request.method == "OPTIONS" && !request.header("Access-Control-Request-Method").empty();
    Response response;
    if (preflight && allowed) {
      response.status = 204;
      response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
      response.headers["Access-Control-Allow-Headers"] =
          "Authorization, Content-Type, X-API-Key, X-Request-Id";
      response.headers["Access-Control-Max-Age"] = "600";
    } else {
      response = next(request);
    }
    if (allowed) {
      response.headers["Access-Control-Allow-Origin"] = origin;
      response.headers["Access-Control-Expose-Headers"] =
          "X-Request-Id, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, "
          "X-RateLimit-Reset";
      std::string& vary = response.headers["Vary"];
      vary = vary.empty() ? "Origin" : vary + ", Origin";
    }
    return response;
  };
}

Middleware security_headers() {
  return [](Request& request, const Handler& next) {
    Response response = next(request);
    auto& headers = response.headers;
    headers["X-Content-Type-Options"] = "nosniff";
    headers["X-Frame-Options"] = "DENY";
    headers["Referrer-Policy"] = "no-referrer";
    headers["Content-Security-Policy"] =
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
        "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
    if (request.path.starts_with("/api/") && !headers.contains("Cache-Control")) {
      headers["Cache-Control"] = "no-store";
    }
    return response;
  };
}

}  // namespace tars::http
