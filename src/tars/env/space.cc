#include "tars/env/space.h"

#include <fmt/format.h>

#include <cmath>
#include <sstream>

namespace tars::env {

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::kFloat32:
      return "float32";
    case DType::kFloat64:
      return "float64";
    case DType::kInt64:
      return "int64";
  }
  return "float32";
}

Space Space::discrete(std::int64_t n) {
  Space space;
  space.kind_ = Kind::kDiscrete;
  space.n_ = n;
  space.dtype_ = DType::kInt64;
  return space;
}

Space Space::box(std::vector<double> low, std::vector<double> high, DType dtype) {
  Space space;
  space.kind_ = Kind::kBox;
  space.dtype_ = dtype;
  if (dtype == DType::kFloat32) {
    for (double& v : low) v = static_cast<float>(v);
    for (double& v : high) v = static_cast<float>(v);
  }
  space.low_ = std::move(low);
  space.high_ = std::move(high);
  return space;
}

core::Status Space::check(std::int64_t action) const {
  if (!is_discrete()) {
    return core::invalid_argument(
        fmt::format("action must be an array of {} numbers for {}, got the integer {}", flat_size(),
                    describe(), action));
  }
  if (action < 0 || action >= n_) {
    return core::invalid_argument(
        fmt::format("action {} is outside {} (valid: 0..{})", action, describe(), n_ - 1));
  }
  return {};
}

core::Status Space::check(std::span<const float> value) const {
  if (is_discrete()) {
    return core::invalid_argument(
        fmt::format("action must be an integer in 0..{} for {}, got an array", n_ - 1, describe()));
  }
  if (value.size() != low_.size()) {
    return core::invalid_argument(
        fmt::format("action has {} numbers, {} expects {}", value.size(), describe(), low_.size()));
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!std::isfinite(value[i])) {
      return core::invalid_argument(
          fmt::format("action[{}] is {}, not a finite number", i, value[i]));
    }
  }
  return {};
}

namespace {

// Shortest text of a bound at its dtype's precision ("-1.0", "4.8", "3.4028235e+38", "inf").
std::string python_number(double v, DType dtype) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string text =
      dtype == DType::kFloat32 ? fmt::format("{}", static_cast<float>(v)) : fmt::format("{}", v);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string bounds_text(const std::vector<double>& bounds, DType dtype) {
  bool uniform = true;
  for (double v : bounds) uniform = uniform && (v == bounds.front());
  if (uniform && !bounds.empty()) return python_number(bounds.front(), dtype);
  std::string text = "[";
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (i > 0) text += " ";
    text += python_number(bounds[i], dtype);
  }
  return text + "]";
}

}  // namespace

std::string Space::describe() const {
  if (is_discrete()) return fmt::format("Discrete({})", n_);
  return fmt::format("Box({}, {}, ({},), {})", bounds_text(low_, dtype_),
                     bounds_text(high_, dtype_), low_.size(), dtype_name(dtype_));
}

std::string Space::shape_text() const {
  if (is_discrete()) return describe();
  return fmt::format("Box({},) {}", low_.size(), dtype_name(dtype_));
}

}  // namespace tars::env
