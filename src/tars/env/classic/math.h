// Python / NumPy scalar semantics the classic-control environments depend on, and the reset
// options they share (gymnasium/envs/classic_control/utils.py).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "tars/core/status.h"
#include "tars/env/env.h"

namespace tars::env::classic {

// Python's float `a % b` and np.mod: the result has the sign of the divisor (npy_divmod).
inline double python_mod(double a, double b) {
  double mod = std::fmod(a, b);
  if (mod != 0.0) {
    if ((b < 0.0) != (mod < 0.0)) mod += b;
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

// Acrobot's wrap(): shift x by whole periods (high - low) until low <= x <= high.
inline double wrap(double x, double low, double high) {
  const double diff = high - low;
  while (x > high) x = x - diff;
  while (x < low) x = x + diff;
  return x;
}

// np.clip, or Python's min(max(x, low), high), on a scalar (actions are never NaN here).
inline double clip(double x, double low, double high) { return std::min(std::max(x, low), high); }

// libm pow(x, 2.0), kept as a call: GCC would fold it into x * x.
[[gnu::noinline, gnu::cold]] inline double libm_square(double x) {
  double two = 2.0;
  __asm__("" : "+x"(two));  // hide the constant exponent from the optimizer
  return std::pow(x, two);
}

// The rounding error of hi = x * x: x * x == hi + lo exactly.
inline double square_error(double x, double hi) {
#ifdef __FMA__
  return std::fma(x, x, -hi);
#else
  // Dekker's product with Veltkamp's split (no fma instruction in portable builds).
  const double c = 134217729.0 * x;  // 2^27 + 1
  const double x_hi = c - (c - x);
  const double x_lo = x - x_hi;
  return ((x_hi * x_hi - hi) + x_hi * x_lo + x_lo * x_hi) + x_lo * x_lo;
#endif
}

// `x ** 2` on a Python float or NumPy float64 scalar, which is libm pow(x, 2.0). glibc's pow is
// not correctly rounded: before the final rounding it errs by up to 0.011 ulp (exp) plus
// |log x^2| * 1.5 * 2^-68 * 2^53 (log), under 0.013 ulp for 2^-32 < x^2 < 2^32 (e_pow.c). So it
// can round the product the other way only near a halfway case (~0.1% of squares). With the
// exact product hi + lo, pow (10 ns) is called only within 0.02 ulp of halfway, outside
// that range, or when hi is a power of two (its lower neighbour is half an ulp closer).
inline double python_square(double x) {
  constexpr std::uint64_t kExponentBits = 0x7ff0000000000000u;
  constexpr std::uint64_t kMantissaBits = 0x000fffffffffffffu;
  const double hi = x * x;
  const double lo = square_error(x, hi);
  const auto bits = std::bit_cast<std::uint64_t>(hi);
  const double ulp = std::bit_cast<double>(bits & kExponentBits) * 0x1p-52;
  if ((bits & kMantissaBits) != 0 && hi > 0x1p-32 && hi < 0x1p32 && std::abs(lo) < 0.48 * ulp)
      [[likely]] {
    return hi;
  }
  return libm_square(x);
}

// An unknown option name is an error naming it and the accepted ones (Gymnasium ignores it,
// which hides typos such as "lo").
inline core::Status check_option_names(const ResetOptions& options, std::string_view env_id,
                                       std::initializer_list<std::string_view> accepted) {
  for (const auto& [name, value] : options) {
    if (std::find(accepted.begin(), accepted.end(), name) != accepted.end()) {
      if (!std::isfinite(value)) {
        return core::invalid_argument(fmt::format(
            "{}: reset option '{}' must be a finite number, got {}", env_id, name, value));
      }
      continue;
    }
    return core::invalid_argument(fmt::format("{}: unknown reset option '{}' (accepted: {})",
                                              env_id, name, fmt::join(accepted, ", ")));
  }
  return {};
}

// maybe_parse_reset_bounds: options "low" / "high" replace the defaults; low > high is an error.
inline core::Expected<std::pair<double, double>> reset_bounds(const ResetOptions& options,
                                                              std::string_view env_id,
                                                              double default_low,
                                                              double default_high) {
  if (core::Status status = check_option_names(options, env_id, {"low", "high"}); !status.ok()) {
    return status;
  }
  const auto low_it = options.find("low");
  const auto high_it = options.find("high");
  const double low = low_it == options.end() ? default_low : low_it->second;
  const double high = high_it == options.end() ? default_high : high_it->second;
  if (low > high) {
    return core::invalid_argument(fmt::format(
        "{}: reset option low ({}) must not be greater than high ({})", env_id, low, high));
  }
  return std::pair{low, high};
}

}  // namespace tars::env::classic
