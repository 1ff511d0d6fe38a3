// Mean of the last `capacity` values in a fixed ring (no allocation after construction): recent
// episode returns of the learning algorithms, and the orchestrator's metric windows.
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

namespace tars::rl {

class RollingMean {
 public:
  explicit RollingMean(std::size_t capacity) : values_(std::max<std::size_t>(capacity, 1)) {}

  void add(double value) {
    values_[next_] = value;
    next_ = (next_ + 1) % values_.size();
    count_ = std::min(count_ + 1, values_.size());
  }
  std::size_t size() const { return count_; }
  std::size_t capacity() const { return values_.size(); }
  // Mean of all held values (0 when empty), summed oldest first.
  double mean() const { return mean_of(0, count_); }
  // Mean of the newer half minus the mean of the older half: > 0 when values rise.
  double trend() const {
    if (count_ < 2) return 0.0;
    const std::size_t half = count_ / 2;
    return mean_of(count_ - half, count_) - mean_of(0, count_ - half);
  }
  // The held values, oldest first: adding them to an empty window of the same capacity restores
  // this one exactly (means included).
  std::vector<double> values() const {
    std::vector<double> out;
    out.reserve(count_);
    for (std::size_t k = 0; k < count_; ++k) out.push_back(at(k));
    return out;
  }

 private:
  // The `k`-th oldest value.
  double at(std::size_t k) const {
    const std::size_t oldest = count_ < values_.size() ? 0 : next_;
    return values_[(oldest + k) % values_.size()];
  }
  // Mean of the values from the `from`-th to the `to`-th oldest (exclusive).
  double mean_of(std::size_t from, std::size_t to) const {
    if (to <= from) return 0.0;
    double sum = 0.0;
    for (std::size_t k = from; k < to; ++k) sum += at(k);
    return sum / static_cast<double>(to - from);
  }

  std::vector<double> values_;
  std::size_t next_ = 0;
  std::size_t count_ = 0;
};

}  // namespace tars::rl
