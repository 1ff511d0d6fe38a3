#include "tars/rl/sum_tree.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tars::rl {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Beyond this many leaves the two arrays of 2 * leaves doubles overflow 64 bits (and bit_ceil
// would be undefined).
constexpr std::size_t kMaxCapacity = std::size_t{1} << 58;

std::size_t leaf_count(std::size_t capacity) {
  if (capacity == 0) throw std::invalid_argument("SumTree: capacity must be >= 1");
  if (capacity > kMaxCapacity) {
    throw std::length_error("SumTree: capacity " + std::to_string(capacity) + " is too large");
  }
  return std::bit_ceil(capacity);
}

}  // namespace

SumTree::SumTree(std::size_t capacity)
    : capacity_(capacity),
      leaves_(leaf_count(capacity)),
      sums_(2 * leaves_, 0.0),
      mins_(2 * leaves_, kInfinity) {}

std::uint64_t SumTree::storage_bytes(std::size_t capacity) {
  if (capacity > kMaxCapacity) return std::numeric_limits<std::uint64_t>::max();
  // Two arrays of 2 * leaves doubles.
  return 4 * std::bit_ceil(std::max<std::uint64_t>(capacity, 1)) * sizeof(double);
}

void SumTree::set(std::size_t index, double priority) {
  if (index >= capacity_) {
    throw std::invalid_argument("SumTree::set: index " + std::to_string(index) + " >= capacity " +
                                std::to_string(capacity_));
  }
  if (!(priority >= 0.0) || !std::isfinite(priority)) {
    throw std::invalid_argument("SumTree::set: priority must be finite and >= 0, got " +
                                std::to_string(priority));
  }
  std::size_t node = leaves_ + index;
  sums_[node] = priority;
  mins_[node] = priority;
  for (node /= 2; node >= 1; node /= 2) {
    sums_[node] = sums_[2 * node] + sums_[2 * node + 1];
    mins_[node] = std::min(mins_[2 * node], mins_[2 * node + 1]);
  }
}

std::size_t SumTree::find_prefix_sum(double mass) const {
  mass = std::max(mass, 0.0);
  std::size_t node = 1;
  while (node < leaves_) {
    const std::size_t left = 2 * node;
    // Going right into an empty subtree can only come from rounding (mass >= total): stay left.
    if (mass < sums_[left] || sums_[left + 1] <= 0.0) {
      node = left;
    } else {
      mass -= sums_[left];
      node = left + 1;
    }
  }
  return node - leaves_;
}

}  // namespace tars::rl
