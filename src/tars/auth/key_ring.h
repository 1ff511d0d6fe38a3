// The JWT signing keys: one signs, retired ones still verify for a grace period, invalidated ones
// verify nothing. Kept in the database (so every process shares them) and cached in memory.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tars/auth/clock.h"
#include "tars/auth/jwt.h"
#include "tars/core/status.h"
#include "tars/store/auth_repository.h"

namespace tars::auth {

struct KeyRingOptions {
  std::chrono::seconds grace = std::chrono::hours(24);  // a retired key still verifies this long
  // How stale the cache may get: keys rotated or invalidated by another process are seen after
  // at most this long (this process's own changes at once).
  std::chrono::seconds reload_interval = std::chrono::seconds(10);
};

// A signing key as the admin API shows it: no secret.
struct SigningKeyInfo {
  std::string kid = {};
  core::Timestamp created_at{};
  std::optional<core::Timestamp> retired_at = {};
  std::optional<core::Timestamp> invalidated_at = {};
  bool signing = false;   // signs new tokens
  bool verifies = false;  // tokens signed with it are accepted now
};

class KeyRing {
 public:
  KeyRing(store::SigningKeyRepository& keys, Clock clock, KeyRingOptions options = {});

  // The key new tokens are signed with; creates the first key when none can sign.
  core::Expected<SigningKey> signing_key();
  // The key that checks tokens bearing `kid`; an error when it is unknown, invalidated, or
  // retired longer ago than the grace period.
  core::Expected<SigningKey> verification_key(const std::string& kid);
  // A new key signs from now on; the previous ones are retired and verify for the grace period.
  // Returns the new kid.
  core::Expected<std::string> rotate();
  // Tokens signed with `kid` stop verifying at once; when it was the signing key, a new one
  // takes over. not_found for an unknown or already invalidated kid.
  core::Status invalidate(const std::string& kid);
  // Every key, newest first.
  core::Expected<std::vector<SigningKeyInfo>> list();

 private:
  struct Key {
    store::SigningKeyRecord record;
    std::string secret;  // decoded
  };

  // With mutex_ held: reloads the cache when older than the reload interval.
  core::Status refresh_if_stale(core::Timestamp now);
  // With mutex_ held: reads every key from the repository.
  core::Status reload(core::Timestamp now);
  // The newest key that is neither retired nor invalidated, if any.
  const Key* signer() const;
  const Key* find(const std::string& kid) const;
  bool verifies(const store::SigningKeyRecord& key, core::Timestamp now) const;

  store::SigningKeyRepository& repository_;
  Clock clock_;
  KeyRingOptions options_;
  std::mutex mutex_;                       // guards everything below
  std::vector<Key> keys_;                  // newest first
  std::optional<core::Timestamp> loaded_;  // when keys_ was read; nullopt: never
};

}  // namespace tars::auth
