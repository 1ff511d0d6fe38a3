// Storage interfaces of the auth module; Database (repository.h) hands them out, and
// sql_auth_*.cc implement them once for both SQL backends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tars/core/status.h"
#include "tars/core/time.h"
#include "tars/store/auth_records.h"

namespace tars::store {

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  // Inserts the user (its id is ignored); returns the id, or failed_precondition when the
  // username is taken.
  virtual core::Expected<std::int64_t> create(const UserRecord& user) = 0;
  // Writes password_hash, role, disabled and updated_at of an existing user; not_found otherwise.
  virtual core::Status update(const UserRecord& user) = 0;
  // nullopt when there is no such user.
  virtual core::Expected<std::optional<UserRecord>> get(std::int64_t id) = 0;
  virtual core::Expected<std::optional<UserRecord>> find(const std::string& username) = 0;
  // Every user, by id.
  virtual core::Expected<std::vector<UserRecord>> list() = 0;
  virtual core::Expected<std::int64_t> count() = 0;
};

class ApiKeyRepository {
 public:
  virtual ~ApiKeyRepository() = default;

  // Inserts the key (its id is ignored); returns the id, or failed_precondition when a key that
  // is not revoked already has this name.
  virtual core::Expected<std::int64_t> create(const ApiKeyRecord& key) = 0;
  // In one transaction: revokes key `id` at next.created_at and inserts `next` (usually under
  // the same name); returns the new id. not_found for an unknown id, failed_precondition when
  // the key is already revoked.
  virtual core::Expected<std::int64_t> rotate(std::int64_t id, const ApiKeyRecord& next) = 0;
  // Sets revoked_at; not_found for an unknown id, failed_precondition when already revoked.
  virtual core::Status revoke(std::int64_t id, core::Timestamp at) = 0;
  // Sets last_used_at.
  virtual core::Status touch(std::int64_t id, core::Timestamp at) = 0;
  // nullopt when there is no such key.
  virtual core::Expected<std::optional<ApiKeyRecord>> get(std::int64_t id) = 0;
  virtual core::Expected<std::optional<ApiKeyRecord>> find_by_prefix(const std::string& prefix) = 0;
  // Every key (revoked ones too) of `owner_id`, or of everyone when unset; newest first.
  virtual core::Expected<std::vector<ApiKeyRecord>> list(std::optional<std::int64_t> owner_id) = 0;
};

class SigningKeyRepository {
 public:
  virtual ~SigningKeyRepository() = default;

  // Every key, newest first.
  virtual core::Expected<std::vector<SigningKeyRecord>> list() = 0;
  // Inserts a key; fails when the kid exists.
  virtual core::Status add(const SigningKeyRecord& key) = 0;
  // In one transaction: retires every key that is neither retired nor invalidated (at
  // next.created_at), and inserts `next`.
  virtual core::Status rotate(const SigningKeyRecord& next) = 0;
  // Sets invalidated_at (and retired_at when unset) of key `kid`; not_found for an unknown or
  // already invalidated kid.
  virtual core::Status invalidate(const std::string& kid, core::Timestamp at) = 0;
};

// Refresh and one-time login tokens that may not be used again, by their JWT id.
class RevokedTokenRepository {
 public:
  virtual ~RevokedTokenRepository() = default;

  // Records `jti` as revoked until `expires_at` (the token's own expiry). Atomic: true when
  // this call revoked it, false when it already was, so a token is spent exactly once.
  virtual core::Expected<bool> revoke(const std::string& jti, core::Timestamp expires_at) = 0;
  // Forgets tokens that expired before `now` (they are refused anyway); returns how many.
  virtual core::Expected<std::int64_t> purge_expired(core::Timestamp now) = 0;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;

  // Inserts the entry (its id is ignored); returns the id.
  virtual core::Expected<std::int64_t> append(const AuditEntry& entry) = 0;
  virtual core::Expected<AuditPage> list(const AuditQuery& query) = 0;
};

}  // namespace tars::store
