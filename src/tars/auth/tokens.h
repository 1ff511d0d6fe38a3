// Issuing and checking the JWTs of users: access / refresh pairs and the one-time login token;
// spent refresh and login tokens are recorded so they are never accepted twice.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "tars/auth/clock.h"
#include "tars/auth/jwt.h"
#include "tars/auth/key_ring.h"
#include "tars/store/auth_repository.h"

namespace tars::auth {

struct TokenLifetimes {
  std::chrono::seconds access = std::chrono::minutes(60);     // JWT_ACCESS_TTL_MINUTES
  std::chrono::seconds refresh = std::chrono::hours(24 * 7);  // JWT_REFRESH_TTL_DAYS
  std::chrono::seconds login = std::chrono::hours(24);        // LOGIN_TOKEN_TTL_HOURS
};

// What login and refresh return (the body of POST /api/v1/auth/login).
struct TokenPair {
  std::string access_token = {};
  std::string refresh_token = {};
  std::string token_type = "bearer";
  std::int64_t expires_in = 0;  // seconds until the access token expires
};

class TokenService {
 public:
  TokenService(KeyRing& keys, store::RevokedTokenRepository& revoked, Clock clock,
               TokenLifetimes lifetimes);

  // A fresh access and refresh token for `user`, carrying its current role.
  core::Expected<TokenPair> issue_pair(const store::UserRecord& user);
  // A one-time login token for `user` (the first admin's login link).
  core::Expected<std::string> issue_login_token(const store::UserRecord& user);
  // The claims of a token of type `type` whose key, signature and expiry hold. Errors other than
  // kIo (storage) are unauthenticated().
  core::Expected<TokenClaims> verify(const std::string& token, TokenType type);
  // Records the token as spent until it expires: true when this call spent it, false when it
  // already was. Now and then forgets spent tokens that have expired.
  core::Expected<bool> spend(const TokenClaims& claims);

 private:
  core::Expected<std::string> issue(const store::UserRecord& user, TokenType type,
                                    std::chrono::seconds lifetime);

  KeyRing& keys_;
  store::RevokedTokenRepository& revoked_;
  Clock clock_;
  TokenLifetimes lifetimes_;
  std::mutex purge_mutex_;                     // guards last_purge_
  std::optional<core::Timestamp> last_purge_;  // nullopt: not yet
  // Claims of tokens whose signature already checked out, so a client sending the same token
  // with every request pays for decoding and HMAC once. Expiry, type and the key's validity are
  // still checked on every use.
  struct Verified {
    std::string kid;  // the signing key's, checked again on every use
    TokenClaims claims;
  };
  // The remembered claims of `token` when it has the type and has not expired at `now`.
  std::optional<Verified> remembered(const std::string& token, TokenType type, core::Timestamp now);

  std::mutex verified_mutex_;
  std::unordered_map<std::string, Verified> verified_;
};

}  // namespace tars::auth
