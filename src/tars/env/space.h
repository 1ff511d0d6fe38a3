// Observation and action spaces, as Gymnasium's Discrete and Box.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tars/core/status.h"

namespace tars::env {

enum class DType { kFloat32, kFloat64, kInt64 };
const char* dtype_name(DType dtype);

class Space {
 public:
  enum class Kind { kDiscrete, kBox };

  // Discrete(n): integers 0..n-1.
  static Space discrete(std::int64_t n);
  // Box(low, high) of one dimension; bounds are stored as the dtype would hold them
  // (float32 boxes round their bounds to float, as NumPy does).
  static Space box(std::vector<double> low, std::vector<double> high,
                   DType dtype = DType::kFloat32);

  Kind kind() const { return kind_; }
  bool is_discrete() const { return kind_ == Kind::kDiscrete; }
  std::int64_t n() const { return n_; }
  const std::vector<double>& low() const { return low_; }
  const std::vector<double>& high() const { return high_; }
  DType dtype() const { return dtype_; }
  // Number of scalars in one element: 1 for Discrete, the length of a Box.
  std::size_t flat_size() const { return is_discrete() ? 1 : low_.size(); }

  // Fast membership tests for the step hot path; check() explains a failure.
  bool contains(std::int64_t action) const {
    return kind_ == Kind::kDiscrete && action >= 0 && action < n_;
  }
  bool contains(std::span<const float> value) const {
    if (kind_ != Kind::kBox || value.size() != low_.size()) return false;
    for (float v : value) {
      if (!std::isfinite(v)) return false;
    }
    return true;
  }
  // Why `action` is not a valid element, naming the expected form; ok when it is.
  core::Status check(std::int64_t action) const;
  core::Status check(std::span<const float> value) const;

  // Gymnasium's repr: "Discrete(2)", "Box(-1.0, 1.0, (2,), float32)" or with per-dim bounds.
  std::string describe() const;
  // Without bounds: "Discrete(2)", "Box(4,) float32".
  std::string shape_text() const;

 private:
  Kind kind_ = Kind::kDiscrete;
  std::int64_t n_ = 0;
  std::vector<double> low_;
  std::vector<double> high_;
  DType dtype_ = DType::kInt64;
};

}  // namespace tars::env
