#include "tars/auth/password.h"

#include <fmt/format.h>
#include <sodium.h>

#include "tars/auth/crypto.h"

namespace tars::auth {

PasswordLimits interactive_password_limits() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PasswordLimits minimum_password_limits() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

core::Status validate_password(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return core::invalid_argument(
        fmt::format("password: must be at least {} characters", kMinPasswordLength));
  }
  if (password.size() > kMaxPasswordLength) {
    return core::invalid_argument(
        fmt::format("password: must be at most {} characters", kMaxPasswordLength));
  }
  return {};
}

core::Expected<std::string> hash_password(std::string_view password, const PasswordLimits& limits) {
  if (auto status = validate_password(password); !status.ok()) return status;
  init_sodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), limits.ops_limit,
                            limits.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::Status(core::ErrorCode::kInternal, "password hashing ran out of memory");
  }
  return std::string(hash);
}

bool verify_password(std::string_view password, const std::string& hash) {
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  init_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace tars::auth
