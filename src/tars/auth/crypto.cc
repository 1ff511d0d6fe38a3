#include "tars/auth/crypto.h"

#include <sodium.h>

#include <cstdlib>

namespace tars::auth {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

void init_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // no secure randomness: refuse to run rather than issue weak secrets
}

std::string random_bytes(std::size_t count) {
  init_sodium();
  std::string bytes(count, '\0');
  randombytes_buf(bytes.data(), count);
  return bytes;
}

std::string random_token(std::size_t count) { return base64url_encode(random_bytes(count)); }

std::string random_hex(std::size_t count) {
  const std::string bytes = random_bytes(count);
  std::string hex(2 * count + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes_of(bytes), bytes.size());
  hex.pop_back();
  return hex;
}

std::string base64url_encode(std::string_view bytes) {
  init_sodium();
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes_of(bytes), bytes.size(), kVariant);
  text.pop_back();  // the terminating NUL
  return text;
}

core::Expected<std::string> base64url_decode(std::string_view text) {
  init_sodium();
  std::string bytes(text.size() * 3 / 4 + 1, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, &end, kVariant) != 0 ||
      end != text.data() + text.size()) {
    return core::invalid_argument("not URL-safe base64");
  }
  bytes.resize(length);
  return bytes;
}

std::string sha256_hex(std::string_view data) {
  init_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, bytes_of(data), data.size());
  std::string hex(2 * sizeof(digest) + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof(digest));
  hex.pop_back();
  return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  init_sodium();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tars::auth
