// Random tokens, URL-safe base64, SHA-256 and constant-time comparison, on libsodium.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tars/core/status.h"

namespace tars::auth {

// Initialises libsodium once (thread-safe); aborts when the system has no secure randomness.
// Every function here calls it; other users of libsodium call it first.
void init_sodium();

// `count` bytes from the operating system's CSPRNG.
std::string random_bytes(std::size_t count);
// `count` random bytes as URL-safe base64 without padding (32 bytes: 43 characters).
std::string random_token(std::size_t count = 32);
// `count` random bytes as lower-case hex (2 * count characters).
std::string random_hex(std::size_t count);

// URL-safe base64 without padding ("-" and "_", no "=").
std::string base64url_encode(std::string_view bytes);
// Fails on characters outside the alphabet, padding, or a malformed length.
core::Expected<std::string> base64url_decode(std::string_view text);

// Lower-case hex of SHA-256(data).
std::string sha256_hex(std::string_view data);
// Equal sizes and contents, in time that depends only on the size.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace tars::auth
