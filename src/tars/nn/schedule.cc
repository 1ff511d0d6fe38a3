#include "tars/nn/schedule.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

namespace tars::nn {

namespace {

bool parse_finite(std::string_view text, double& out) {
  if (text.empty()) return false;
  // from_chars rejects a leading '+', which Python's float() accepts.
  if (text.front() == '+') {
    text.remove_prefix(1);
    if (text.starts_with('-')) return false;
  }
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

}  // namespace

core::Expected<Schedule> Schedule::parse(std::string_view text) {
  constexpr std::string_view kLinearPrefix = "lin_";
  double number = 0;
  if (text.starts_with(kLinearPrefix)) {
    if (parse_finite(text.substr(kLinearPrefix.size()), number)) return linear(number);
  } else if (parse_finite(text, number)) {
    return constant(number);
  }
  return core::invalid_argument(
      "schedule: expected a number (e.g. 0.001) or 'lin_<number>' "
      "(e.g. lin_0.001, linear decay to 0), got '" +
      std::string(text) + "'");
}

double Schedule::value(double progress_remaining) const {
  if (kind_ == Kind::kConstant) return initial_;
  return initial_ * std::clamp(progress_remaining, 0.0, 1.0);
}

std::string Schedule::to_string() const {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), initial_);
  std::string number(buffer, result.ptr);
  return kind_ == Kind::kLinear ? "lin_" + number : number;
}

double progress_remaining(double steps_done, double total_steps) {
  if (!(total_steps > 0)) return 0.0;
  return std::clamp(1.0 - steps_done / total_steps, 0.0, 1.0);
}

}  // namespace tars::nn
