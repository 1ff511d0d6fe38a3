// API keys for services: "tars_<prefix>_<secret>", shown once, stored as the SHA-256 of the
// secret, with a role, an optional expiry, rotation and revocation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tars/auth/clock.h"
#include "tars/auth/role.h"
#include "tars/store/auth_repository.h"

namespace tars::auth {

// A key as created or rotated: its record and the one time its full value is available.
struct CreatedApiKey {
  store::ApiKeyRecord record = {};  // without secret_hash
  std::string key = {};             // "tars_<prefix>_<secret>": give it to the client, never log it
};

// The parts of an X-API-Key value.
struct ApiKeyParts {
  std::string prefix = {};  // 12 hex digits
  std::string secret = {};  // 43 characters of URL-safe base64
};

// nullopt unless `value` has the shape of a key this module issues.
std::optional<ApiKeyParts> parse_api_key(std::string_view value);

class ApiKeys {
 public:
  ApiKeys(store::ApiKeyRepository& keys, Clock clock);

  // A new key of `owner_id` named `name` (1-64 of [A-Za-z0-9._-], unique among live keys).
  // `expires_at`, when given, must be in the future.
  core::Expected<CreatedApiKey> create(std::int64_t owner_id, const std::string& name, Role role,
                                       std::optional<core::Timestamp> expires_at);
  // A new secret for key `id`: a new key with the same name, role, owner and lifetime length
  // replaces it, and the old one is revoked. not_found / failed_precondition (revoked).
  core::Expected<CreatedApiKey> rotate(std::int64_t id);
  // The key stops working at once. not_found / failed_precondition (already revoked).
  core::Status revoke(std::int64_t id);
  // The live key an X-API-Key value names (secret compared in constant time); records its use
  // at most once a minute. Errors other than kIo (storage) are unauthenticated().
  core::Expected<store::ApiKeyRecord> authenticate(std::string_view value);

 private:
  store::ApiKeyRepository& keys_;
  Clock clock_;
};

}  // namespace tars::auth
