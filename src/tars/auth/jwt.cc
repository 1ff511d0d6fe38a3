#include "tars/auth/jwt.h"

#include <fmt/format.h>
#include <jwt.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <memory>

namespace tars::auth {
namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using Jwt = std::unique_ptr<jwt_t, JwtFree>;

// libjwt 1.10 returns strings from malloc (jwt_free_str came later).
struct StringFree {
  void operator()(char* text) const { std::free(text); }
};

constexpr TokenType kTypes[] = {TokenType::kAccess, TokenType::kRefresh, TokenType::kLogin};

std::int64_t to_seconds(core::Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

core::Timestamp from_seconds(std::int64_t seconds) {
  return core::Timestamp(std::chrono::seconds(seconds));
}

// A string claim; empty when missing or not a string.
std::string string_claim(jwt_t* jwt, const char* name) {
  const char* value = jwt_get_grant(jwt, name);
  return value ? value : "";
}

// An integer claim; an error when missing or not a number.
core::Expected<std::int64_t> int_claim(jwt_t* jwt, const char* name) {
  if (jwt_get_grant(jwt, name) != nullptr) {
    return core::invalid_argument(fmt::format("token: claim {} is not a number", name));
  }
  errno = 0;
  const long value = jwt_get_grant_int(jwt, name);
  if (errno != 0) return core::invalid_argument(fmt::format("token: no claim {}", name));
  return std::int64_t{value};
}

core::Status add_claims(jwt_t* jwt, const TokenClaims& claims) {
  const bool ok =
      jwt_add_grant(jwt, "sub", std::to_string(claims.user_id).c_str()) == 0 &&
      jwt_add_grant(jwt, "name", claims.username.c_str()) == 0 &&
      jwt_add_grant(jwt, "role", role_name(claims.role)) == 0 &&
      jwt_add_grant(jwt, "typ", token_type_name(claims.type)) == 0 &&
      jwt_add_grant(jwt, "jti", claims.jti.c_str()) == 0 &&
      jwt_add_grant_int(jwt, "iat", static_cast<long>(to_seconds(claims.issued_at))) == 0 &&
      jwt_add_grant_int(jwt, "exp", static_cast<long>(to_seconds(claims.expires_at))) == 0;
  return ok ? core::Status() : core::Status(core::ErrorCode::kInternal, "token: cannot add claims");
}

core::Expected<TokenClaims> read_claims(jwt_t* jwt) {
  TokenClaims claims;
  const std::string sub = string_claim(jwt, "sub");
  const auto [end, error] = std::from_chars(sub.data(), sub.data() + sub.size(), claims.user_id);
  if (sub.empty() || error != std::errc() || end != sub.data() + sub.size()) {
    return core::invalid_argument("token: sub is not a user id");
  }
  claims.username = string_claim(jwt, "name");
  auto role = parse_role(string_claim(jwt, "role"));
  if (!role.ok()) return role.status();
  claims.role = *role;
  const std::string type = string_claim(jwt, "typ");
  const auto* known = std::find_if(std::begin(kTypes), std::end(kTypes), [&](TokenType candidate) {
    return type == token_type_name(candidate);
  });
  if (known == std::end(kTypes)) {
    return core::invalid_argument(fmt::format("token: unknown typ '{}'", type));
  }
  claims.type = *known;
  claims.jti = string_claim(jwt, "jti");
  if (claims.jti.empty()) return core::invalid_argument("token: no jti");
  auto issued = int_claim(jwt, "iat");
  auto expires = int_claim(jwt, "exp");
  if (!issued.ok()) return issued.status();
  if (!expires.ok()) return expires.status();
  claims.issued_at = from_seconds(*issued);
  claims.expires_at = from_seconds(*expires);
  return claims;
}

}  // namespace

const char* token_type_name(TokenType type) {
  switch (type) {
    case TokenType::kAccess:
      return "access";
    case TokenType::kRefresh:
      return "refresh";
    case TokenType::kLogin:
      return "login";
  }
  return "unknown";
}

core::Expected<std::string> sign_token(const TokenClaims& claims, const SigningKey& key) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return core::Status(core::ErrorCode::kInternal, "token: out of memory");
  Jwt jwt(raw);
  if (auto status = add_claims(jwt.get(), claims); !status.ok()) return status;
  if (jwt_add_header(jwt.get(), "kid", key.kid.c_str()) != 0 ||
      jwt_set_alg(jwt.get(), JWT_ALG_HS256,
                  reinterpret_cast<const unsigned char*>(key.secret.data()),
                  static_cast<int>(key.secret.size())) != 0) {
    return core::Status(core::ErrorCode::kInternal, "token: cannot set the key");
  }
  std::unique_ptr<char, StringFree> encoded(jwt_encode_str(jwt.get()));
  if (!encoded) return core::Status(core::ErrorCode::kInternal, "token: cannot encode");
  return std::string(encoded.get());
}

core::Expected<std::string> token_kid(const std::string& token) {
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, token.c_str(), nullptr, 0) != 0) {
    return core::invalid_argument("token: malformed");
  }
  Jwt jwt(raw);
  const char* kid = jwt_get_header(jwt.get(), "kid");
  if (kid == nullptr || *kid == '\0') return core::invalid_argument("token: no kid");
  return std::string(kid);
}

core::Expected<TokenClaims> verify_token(const std::string& token, const SigningKey& key,
                                         TokenType expected, core::Timestamp now) {
  jwt_t* raw = nullptr;
  if (key.secret.empty() ||
      jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key.secret.data()),
                 static_cast<int>(key.secret.size())) != 0) {
    return core::invalid_argument("token: bad signature or malformed");
  }
  Jwt jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) {
    return core::invalid_argument("token: algorithm is not HS256");
  }
  auto claims = read_claims(jwt.get());
  if (!claims.ok()) return claims;
  if (claims->type != expected) {
    return core::invalid_argument(fmt::format("token: typ is '{}', expected '{}'",
                                              token_type_name(claims->type),
                                              token_type_name(expected)));
  }
  if (now >= claims->expires_at) return core::invalid_argument("token: expired");
  return claims;
}

}  // namespace tars::auth
