#include "tars/auth/tokens.h"

#include "tars/auth/crypto.h"
#include "tars/auth/principal.h"
#include "tars/core/log.h"

namespace tars::auth {
namespace {

// Expired spent tokens are deleted at most this often.
constexpr std::chrono::hours kPurgeInterval{1};
// Verified tokens remembered at most; the memory is forgotten in one go when full.
constexpr std::size_t kVerifiedCapacity = 4096;

// JWTs carry whole seconds.
core::Timestamp whole_seconds(core::Timestamp t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

}  // namespace

TokenService::TokenService(KeyRing& keys, store::RevokedTokenRepository& revoked, Clock clock,
                           TokenLifetimes lifetimes)
    : keys_(keys), revoked_(revoked), clock_(std::move(clock)), lifetimes_(lifetimes) {}

core::Expected<TokenPair> TokenService::issue_pair(const store::UserRecord& user) {
  auto access = issue(user, TokenType::kAccess, lifetimes_.access);
  if (!access.ok()) return access.status();
  auto refresh = issue(user, TokenType::kRefresh, lifetimes_.refresh);
  if (!refresh.ok()) return refresh.status();
  return TokenPair{.access_token = std::move(*access),
                   .refresh_token = std::move(*refresh),
                   .expires_in = lifetimes_.access.count()};
}

core::Expected<std::string> TokenService::issue_login_token(const store::UserRecord& user) {
  return issue(user, TokenType::kLogin, lifetimes_.login);
}

core::Expected<TokenClaims> TokenService::verify(const std::string& token, TokenType type) {
  const core::Timestamp now = clock_();
  // A remembered token skips decoding (its kid included) and the HMAC, not the key check.
  if (auto known = remembered(token, type, now); known && keys_.verification_key(known->kid).ok()) {
    return known->claims;
  }
  auto kid = token_kid(token);
  if (!kid.ok()) return unauthenticated(kid.status().message());
  auto key = keys_.verification_key(*kid);
  if (!key.ok()) {
    const bool refused = key.status().code() == core::ErrorCode::kInvalidArgument;
    return refused ? unauthenticated(key.status().message()) : key.status();
  }
  auto claims = verify_token(token, *key, type, now);
  if (!claims.ok()) return unauthenticated(claims.status().message());
  std::lock_guard lock(verified_mutex_);
  if (verified_.size() >= kVerifiedCapacity) verified_.clear();
  verified_.insert_or_assign(token, Verified{*kid, *claims});
  return claims;
}

std::optional<TokenService::Verified> TokenService::remembered(const std::string& token,
                                                               TokenType type,
                                                               core::Timestamp now) {
  std::lock_guard lock(verified_mutex_);
  const auto it = verified_.find(token);
  if (it == verified_.end() || it->second.claims.type != type) return std::nullopt;
  if (now < it->second.claims.expires_at) return it->second;
  verified_.erase(it);
  return std::nullopt;
}

core::Expected<bool> TokenService::spend(const TokenClaims& claims) {
  const core::Timestamp now = clock_();
  bool purge = false;
  {
    std::lock_guard lock(purge_mutex_);
    if (!last_purge_ || now - *last_purge_ >= kPurgeInterval || now < *last_purge_) {
      last_purge_ = now;
      purge = true;
    }
  }
  if (purge) {
    if (auto purged = revoked_.purge_expired(now); !purged.ok()) {
      core::Logger("auth").warn("forgetting expired spent tokens failed: {}",
                                purged.status().message());
    }
  }
  return revoked_.revoke(claims.jti, claims.expires_at);
}

core::Expected<std::string> TokenService::issue(const store::UserRecord& user, TokenType type,
                                                std::chrono::seconds lifetime) {
  auto key = keys_.signing_key();
  if (!key.ok()) return key.status();
  const core::Timestamp now = whole_seconds(clock_());
  return sign_token({.user_id = user.id,
                     .username = user.username,
                     .role = user.role,
                     .type = type,
                     .jti = random_token(16),
                     .issued_at = now,
                     .expires_at = now + lifetime},
                    *key);
}

}  // namespace tars::auth
