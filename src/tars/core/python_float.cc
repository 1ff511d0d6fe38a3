#include "tars/core/python_float.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace tars::core {

std::string python_float(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0.0) return std::signbit(value) ? "-0.0" : "0.0";

  // Shortest round-trip digits, as "d.ddde±XX".
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string scientific(buffer, end);
  const std::size_t e_pos = scientific.find('e');
  const int exponent = std::atoi(scientific.c_str() + e_pos + 1);
  const bool negative = scientific[0] == '-';
  std::string digits;
  for (std::size_t i = negative ? 1 : 0; i < e_pos; ++i) {
    if (scientific[i] != '.') digits += scientific[i];
  }
  // Built with append(): GCC 12 reports a false -Wrestrict on chains of operator+ here.
  std::string text = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    text.append(digits, 0, 1);
    if (digits.size() > 1) text.append(".").append(digits, 1);
    text.append(exponent < 0 ? "e-" : "e+");
    const int magnitude = std::abs(exponent);
    if (magnitude < 10) text.append("0");
    return text.append(std::to_string(magnitude));
  }
  if (exponent < 0) {
    return text.append("0.").append(static_cast<std::size_t>(-exponent - 1), '0').append(digits);
  }
  const std::size_t integer_digits = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    return text.append(digits).append(integer_digits - digits.size(), '0').append(".0");
  }
  return text.append(digits, 0, integer_digits).append(".").append(digits, integer_digits);
}

}  // namespace tars::core
