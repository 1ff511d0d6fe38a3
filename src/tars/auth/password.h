// Password hashing with Argon2id (libsodium's crypto_pwhash_str), in the encoded form that carries
// the algorithm, its limits and the salt, so hashes made with other limits still verify.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tars/core/status.h"

namespace tars::auth {

inline constexpr std::size_t kMinPasswordLength = 8;     // characters (bytes of UTF-8)
inline constexpr std::size_t kMaxPasswordLength = 1024;  // bounds the work one login can cause

// Argon2id cost: passes over memory and memory in bytes.
struct PasswordLimits {
  unsigned long long ops_limit = 0;  // crypto_pwhash OPSLIMIT
  std::size_t mem_limit = 0;         // crypto_pwhash MEMLIMIT, bytes
};

// libsodium's interactive limits (2 passes, 64 MiB): for production.
PasswordLimits interactive_password_limits();
// libsodium's minimum limits (1 pass, 8 KiB): for tests only, where speed matters more.
PasswordLimits minimum_password_limits();

// Checks the length; the error names the field "password" and the bound.
core::Status validate_password(std::string_view password);
// Validates, then hashes with a fresh random salt.
core::Expected<std::string> hash_password(std::string_view password, const PasswordLimits& limits);
// Whether `password` matches `hash` (false for a malformed hash).
bool verify_password(std::string_view password, const std::string& hash);

}  // namespace tars::auth
