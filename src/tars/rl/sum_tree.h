// A binary tree over non-negative priorities keeping their sum and minimum, for proportional
// sampling in O(log n) (the segment tree of Schaul et al. 2016, Appendix B.2.1).
#pragma once

#include <cstdint>
#include <vector>

namespace tars::rl {

class SumTree {
 public:
  // Any capacity >= 1 (std::invalid_argument otherwise); the tree rounds the number of leaves up
  // to a power of two internally. Every priority starts at 0 (and outside min()).
  explicit SumTree(std::size_t capacity);
  // Bytes a tree of this capacity allocates; UINT64_MAX when that does not fit in 64 bits.
  static std::uint64_t storage_bytes(std::size_t capacity);

  std::size_t capacity() const { return capacity_; }

  // Sets leaf `index` to `priority`. Preconditions (std::invalid_argument otherwise): index <
  // capacity(), priority finite and >= 0.
  void set(std::size_t index, double priority);
  double get(std::size_t index) const { return sums_[leaves_ + index]; }
  // Sum of all priorities.
  double total() const { return sums_[1]; }
  // Smallest priority among the leaves that were ever set; +infinity before the first set().
  double min() const { return mins_[1]; }
  // The leaf i whose interval [p_0 + ... + p_{i-1}, p_0 + ... + p_i) contains `mass`, so that a
  // mass uniform in [0, total()) picks leaf i with probability p_i / total(). Masses outside
  // [0, total()) are clamped; a leaf with priority 0 is never returned. Precondition total() > 0.
  std::size_t find_prefix_sum(double mass) const;

 private:
  std::size_t capacity_;
  std::size_t leaves_;  // capacity rounded up to a power of two
  // Heap layout: node 1 is the root, node k has children 2k and 2k + 1, leaves are
  // [leaves_, 2 leaves_). Parents are recomputed from their children on every set(), so the
  // sums do not drift as they would with += deltas.
  std::vector<double> sums_;
  std::vector<double> mins_;
};

}  // namespace tars::rl
