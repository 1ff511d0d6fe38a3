#include "tars/auth/api_keys.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "tars/auth/crypto.h"
#include "tars/auth/principal.h"
#include "tars/core/log.h"

namespace tars::auth {
namespace {

constexpr std::string_view kKeyTag = "tars_";
constexpr std::size_t kPrefixBytes = 6;    // 12 hex digits: unique with overwhelming odds
constexpr std::size_t kSecretBytes = 32;   // 256 bits: a plain SHA-256 is enough to store it
constexpr std::size_t kSecretLength = 43;  // URL-safe base64 of kSecretBytes, no padding
constexpr std::size_t kMaxNameLength = 64;
// last_used_at is written at most this often per key.
constexpr std::chrono::minutes kTouchInterval{1};

bool is_hex(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

core::Status validate_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength ||
      !std::all_of(name.begin(), name.end(), is_name_char)) {
    return core::invalid_argument(fmt::format(
        "name: must be 1-{} characters of A-Z, a-z, 0-9, '.', '_' and '-'", kMaxNameLength));
  }
  return {};
}

// A record with a fresh prefix and secret, and the key's full value.
CreatedApiKey generate(store::ApiKeyRecord record) {
  const std::string secret = random_token(kSecretBytes);
  record.prefix = random_hex(kPrefixBytes);
  record.secret_hash = sha256_hex(secret);
  const std::string key = fmt::format("{}{}_{}", kKeyTag, record.prefix, secret);
  return {.record = std::move(record), .key = key};
}

// The key as returned once stored under `id`: the hash stays in the database.
CreatedApiKey stored(CreatedApiKey created, std::int64_t id) {
  created.record.id = id;
  created.record.secret_hash.clear();
  return created;
}

}  // namespace

std::optional<ApiKeyParts> parse_api_key(std::string_view value) {
  const std::size_t prefix_end = kKeyTag.size() + 2 * kPrefixBytes;
  if (value.size() != prefix_end + 1 + kSecretLength || !value.starts_with(kKeyTag) ||
      value[prefix_end] != '_') {
    return std::nullopt;
  }
  const std::string_view prefix = value.substr(kKeyTag.size(), 2 * kPrefixBytes);
  if (!std::all_of(prefix.begin(), prefix.end(), is_hex)) return std::nullopt;
  return ApiKeyParts{std::string(prefix), std::string(value.substr(prefix_end + 1))};
}

ApiKeys::ApiKeys(store::ApiKeyRepository& keys, Clock clock)
    : keys_(keys), clock_(std::move(clock)) {}

core::Expected<CreatedApiKey> ApiKeys::create(std::int64_t owner_id, const std::string& name,
                                              Role role,
                                              std::optional<core::Timestamp> expires_at) {
  if (auto status = validate_name(name); !status.ok()) return status;
  const core::Timestamp now = clock_();
  if (expires_at && *expires_at <= now) {
    return core::invalid_argument("expires_at: must be in the future");
  }
  CreatedApiKey created = generate({.name = name,
                                    .role = role,
                                    .owner_id = owner_id,
                                    .created_at = now,
                                    .expires_at = expires_at});
  auto id = keys_.create(created.record);
  if (!id.ok()) return id.status();
  return stored(std::move(created), *id);
}

core::Expected<CreatedApiKey> ApiKeys::rotate(std::int64_t id) {
  auto old = keys_.get(id);
  if (!old.ok()) return old.status();
  if (!old->has_value()) return core::not_found(fmt::format("no API key {}", id));
  const store::ApiKeyRecord& previous = **old;
  const core::Timestamp now = clock_();
  std::optional<core::Timestamp> expires_at;
  if (previous.expires_at) expires_at = now + (*previous.expires_at - previous.created_at);
  CreatedApiKey created = generate({.name = previous.name,
                                    .role = previous.role,
                                    .owner_id = previous.owner_id,
                                    .created_at = now,
                                    .expires_at = expires_at});
  auto new_id = keys_.rotate(id, created.record);
  if (!new_id.ok()) return new_id.status();
  return stored(std::move(created), *new_id);
}

core::Status ApiKeys::revoke(std::int64_t id) { return keys_.revoke(id, clock_()); }

core::Expected<store::ApiKeyRecord> ApiKeys::authenticate(std::string_view value) {
  const auto parts = parse_api_key(value);
  if (!parts) return unauthenticated("malformed API key");
  auto found = keys_.find_by_prefix(parts->prefix);
  if (!found.ok()) return found.status();
  if (!found->has_value() ||
      !constant_time_equal(sha256_hex(parts->secret), (*found)->secret_hash)) {
    return unauthenticated("unknown API key");
  }
  store::ApiKeyRecord key = std::move(**found);
  const core::Timestamp now = clock_();
  if (key.revoked_at) return unauthenticated(fmt::format("API key '{}' is revoked", key.name));
  if (key.expires_at && now >= *key.expires_at) {
    return unauthenticated(fmt::format("API key '{}' has expired", key.name));
  }
  if (!key.last_used_at || now - *key.last_used_at >= kTouchInterval) {
    if (auto touched = keys_.touch(key.id, now); !touched.ok()) {
      core::Logger("auth").warn("recording the use of API key {} failed: {}", key.id,
                                touched.message());
    }
    key.last_used_at = now;
  }
  key.secret_hash.clear();
  return key;
}

}  // namespace tars::auth
