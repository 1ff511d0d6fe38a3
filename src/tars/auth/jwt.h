// JSON Web Tokens signed with HMAC-SHA256 (libjwt). Claims: sub (user id), name, role, typ,
// jti, iat, exp; header: kid. Times in tokens are whole seconds.
#pragma once

#include <cstdint>
#include <string>

#include "tars/auth/role.h"
#include "tars/core/status.h"
#include "tars/core/time.h"

namespace tars::auth {

// What a token is for; a token of one type is never accepted as another.
enum class TokenType {
  kAccess,   // authenticates API requests
  kRefresh,  // buys a new token pair, once
  kLogin,    // the one-time login link of the first admin, once
};

// "access", "refresh", "login".
const char* token_type_name(TokenType type);

struct TokenClaims {
  std::int64_t user_id = 0;             // "sub"
  std::string username = {};            // "name"
  Role role = Role::kViewer;            // "role"
  TokenType type = TokenType::kAccess;  // "typ"
  std::string jti = {};                 // unique token id
  core::Timestamp issued_at{};          // "iat"
  core::Timestamp expires_at{};         // "exp": refused from this instant on

  bool operator==(const TokenClaims&) const = default;
};

// An HMAC key and its id.
struct SigningKey {
  std::string kid = {};     // the header's "kid"
  std::string secret = {};  // raw key bytes (32)
};

// The signed token (header.payload.signature).
core::Expected<std::string> sign_token(const TokenClaims& claims, const SigningKey& key);
// The header's kid, read without checking the signature (to pick the key that checks it).
core::Expected<std::string> token_kid(const std::string& token);
// Checks the signature with `key`, the algorithm (HS256 only), the type and the expiry at
// `now`. Errors say what was wrong, for logs; never show them to clients.
core::Expected<TokenClaims> verify_token(const std::string& token, const SigningKey& key,
                                         TokenType expected, core::Timestamp now);

}  // namespace tars::auth
