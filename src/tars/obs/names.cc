#include "tars/obs/names.h"

#include <fmt/format.h>

#include <cstdint>

namespace tars::obs {
namespace {

bool is_letter_or_underscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// True when `name` is non-empty, starts with a letter, '_' or (when allowed) ':', and continues
// with those or digits.
bool matches_name_pattern(std::string_view name, bool allow_colon) {
  const auto allowed = [allow_colon](char c) {
    return is_letter_or_underscore(c) || (allow_colon && c == ':');
  };
  if (name.empty() || !allowed(name.front())) return false;
  for (const char c : name) {
    if (!allowed(c) && !is_digit(c)) return false;
  }
  return true;
}

}  // namespace

core::Status check_metric_name(std::string_view name) {
  if (matches_name_pattern(name, /*allow_colon=*/true)) return {};
  return core::invalid_argument(
      fmt::format("invalid metric name '{}': must match [a-zA-Z_:][a-zA-Z0-9_:]*", name));
}

core::Status check_label_name(std::string_view name) {
  if (!matches_name_pattern(name, /*allow_colon=*/false)) {
    return core::invalid_argument(
        fmt::format("invalid label name '{}': must match [a-zA-Z_][a-zA-Z0-9_]*", name));
  }
  if (name.starts_with("__")) {
    return core::invalid_argument(
        fmt::format("invalid label name '{}': names starting with '__' are reserved", name));
  }
  return {};
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // Sequence length and the smallest code point that needs it (anything lower is overlong).
    std::size_t length = 0;
    std::uint32_t minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      minimum = 0x10000;
    } else {
      return false;
    }
    // The lead byte carries 7 - length payload bits.
    std::uint32_t code_point = lead & (0x7Fu >> length);
    if (text.size() - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<std::uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (code_point < minimum || surrogate || code_point > 0x10FFFF) return false;
    i += length;
  }
  return true;
}

}  // namespace tars::obs
