#include "tars/auth/key_ring.h"

#include <fmt/format.h>

#include <algorithm>

#include "tars/auth/crypto.h"

namespace tars::auth {
namespace {

// A token naming a kid this process has not seen may come from a key another process just
// created; the cache is re-read for it, but at most this often.
constexpr std::chrono::seconds kUnknownKidReloadGap{1};

store::SigningKeyRecord new_key(core::Timestamp now) {
  return {.kid = random_hex(8), .secret = base64url_encode(random_bytes(32)), .created_at = now};
}

SigningKey signing_key_of(const store::SigningKeyRecord& record, const std::string& secret) {
  return {.kid = record.kid, .secret = secret};
}

}  // namespace

KeyRing::KeyRing(store::SigningKeyRepository& keys, Clock clock, KeyRingOptions options)
    : repository_(keys), clock_(std::move(clock)), options_(options) {}

core::Expected<SigningKey> KeyRing::signing_key() {
  std::lock_guard lock(mutex_);
  const core::Timestamp now = clock_();
  if (auto status = refresh_if_stale(now); !status.ok()) return status;
  if (signer() == nullptr) {
    if (auto status = repository_.add(new_key(now)); !status.ok()) return status;
    if (auto status = reload(now); !status.ok()) return status;
  }
  const Key* key = signer();
  if (key == nullptr) return core::Status(core::ErrorCode::kInternal, "no signing key");
  return signing_key_of(key->record, key->secret);
}

core::Expected<SigningKey> KeyRing::verification_key(const std::string& kid) {
  std::lock_guard lock(mutex_);
  const core::Timestamp now = clock_();
  if (auto status = refresh_if_stale(now); !status.ok()) return status;
  if (find(kid) == nullptr && now - *loaded_ >= kUnknownKidReloadGap) {
    if (auto status = reload(now); !status.ok()) return status;
  }
  const Key* key = find(kid);
  if (key == nullptr) return core::invalid_argument(fmt::format("unknown signing key '{}'", kid));
  if (!verifies(key->record, now)) {
    return core::invalid_argument(fmt::format("signing key '{}' no longer verifies", kid));
  }
  return signing_key_of(key->record, key->secret);
}

core::Expected<std::string> KeyRing::rotate() {
  std::lock_guard lock(mutex_);
  const core::Timestamp now = clock_();
  const store::SigningKeyRecord next = new_key(now);
  if (auto status = repository_.rotate(next); !status.ok()) return status;
  if (auto status = reload(now); !status.ok()) return status;
  return next.kid;
}

core::Status KeyRing::invalidate(const std::string& kid) {
  std::lock_guard lock(mutex_);
  const core::Timestamp now = clock_();
  if (auto status = repository_.invalidate(kid, now); !status.ok()) return status;
  if (auto status = reload(now); !status.ok() || signer() != nullptr) return status;
  if (auto status = repository_.add(new_key(now)); !status.ok()) return status;
  return reload(now);
}

core::Expected<std::vector<SigningKeyInfo>> KeyRing::list() {
  std::lock_guard lock(mutex_);
  const core::Timestamp now = clock_();
  if (auto status = reload(now); !status.ok()) return status;
  const Key* current = signer();
  std::vector<SigningKeyInfo> infos;
  for (const Key& key : keys_) {
    infos.push_back({.kid = key.record.kid,
                     .created_at = key.record.created_at,
                     .retired_at = key.record.retired_at,
                     .invalidated_at = key.record.invalidated_at,
                     .signing = &key == current,
                     .verifies = verifies(key.record, now)});
  }
  return infos;
}

core::Status KeyRing::refresh_if_stale(core::Timestamp now) {
  const bool fresh = loaded_ && now >= *loaded_ && now - *loaded_ < options_.reload_interval;
  return fresh ? core::Status() : reload(now);
}

core::Status KeyRing::reload(core::Timestamp now) {
  auto records = repository_.list();
  if (!records.ok()) return records.status();
  std::vector<Key> keys;
  for (auto& record : *records) {
    auto secret = base64url_decode(record.secret);
    if (!secret.ok() || secret->empty()) {
      return core::Status(core::ErrorCode::kInternal,
                          fmt::format("signing key '{}' has a malformed secret", record.kid));
    }
    keys.push_back({std::move(record), std::move(*secret)});
  }
  keys_ = std::move(keys);
  loaded_ = now;
  return {};
}

const KeyRing::Key* KeyRing::signer() const {
  auto it = std::find_if(keys_.begin(), keys_.end(), [](const Key& key) {
    return !key.record.retired_at && !key.record.invalidated_at;
  });
  return it == keys_.end() ? nullptr : &*it;
}

const KeyRing::Key* KeyRing::find(const std::string& kid) const {
  auto it = std::find_if(keys_.begin(), keys_.end(),
                         [&](const Key& key) { return key.record.kid == kid; });
  return it == keys_.end() ? nullptr : &*it;
}

bool KeyRing::verifies(const store::SigningKeyRecord& key, core::Timestamp now) const {
  if (key.invalidated_at) return false;
  return !key.retired_at || now < *key.retired_at + options_.grace;
}

}  // namespace tars::auth
