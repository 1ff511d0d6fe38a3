#include "tars/marl/linear_system.h"

#include <algorithm>
#include <cmath>

namespace tars::marl {

IncrementalElimination::IncrementalElimination(std::size_t max_unknowns)
    : max_unknowns_(max_unknowns),
      rows_(max_unknowns * max_unknowns),
      rhs_(max_unknowns),
      pivots_(max_unknowns),
      pivoted_(max_unknowns) {}

void IncrementalElimination::reset(std::size_t unknowns) {
  unknowns_ = std::min(unknowns, max_unknowns_);
  equations_ = 0;
}

bool IncrementalElimination::add(std::span<const double> coefficients, double rhs,
                                 double pivot_tolerance) {
  if (equations_ == unknowns_) return false;
  double* row = rows_.data() + equations_ * max_unknowns_;
  std::copy_n(coefficients.begin(), unknowns_, row);
  for (std::size_t q = 0; q < equations_; ++q) {
    const double* earlier = rows_.data() + q * max_unknowns_;
    const double factor = row[pivots_[q]];  // earlier rows are scaled to pivot 1
    if (factor == 0.0) continue;
    for (std::size_t c = 0; c < unknowns_; ++c) row[c] -= factor * earlier[c];
    rhs -= factor * rhs_[q];
  }
  std::fill_n(pivoted_.begin(), unknowns_, false);
  for (std::size_t q = 0; q < equations_; ++q) pivoted_[pivots_[q]] = true;
  std::size_t pivot = unknowns_;
  for (std::size_t c = 0; c < unknowns_; ++c) {
    if (!pivoted_[c] && (pivot == unknowns_ || std::abs(row[c]) > std::abs(row[pivot]))) {
      pivot = c;
    }
  }
  if (pivot == unknowns_ || !(std::abs(row[pivot]) > pivot_tolerance)) return false;
  const double inverse = 1.0 / row[pivot];
  for (std::size_t c = 0; c < unknowns_; ++c) row[c] *= inverse;
  pivots_[equations_] = pivot;
  rhs_[equations_] = rhs * inverse;
  ++equations_;
  return true;
}

void IncrementalElimination::solve(std::span<double> z) const {
  // Equation q involves its own pivot and the pivots of later equations only.
  for (std::size_t q = equations_; q-- > 0;) {
    const double* row = rows_.data() + q * max_unknowns_;
    double sum = rhs_[q];
    for (std::size_t later = q + 1; later < equations_; ++later) {
      sum -= row[pivots_[later]] * z[pivots_[later]];
    }
    z[pivots_[q]] = sum;
  }
}

}  // namespace tars::marl
