// Mean of the last `capacity` values in a fixed ring (no allocation after construction).
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

namespace tars::marl {

class RollingMean {
 public:
  explicit RollingMean(std::size_t capacity) : values_(std::max<std::size_t>(capacity, 1)) {}

  void add(double value) {
    values_[next_] = value;
    next_ = (next_ + 1) % values_.size();
    count_ = std::min(count_ + 1, values_.size());
  }
  std::size_t size() const { return count_; }
  // Mean of all held values (0 when empty).
  double mean() const { return mean_of(0, count_); }
  // Mean of the newer half minus the mean of the older half: > 0 when values rise.
  double trend() const {
    if (count_ < 2) return 0.0;
    const std::size_t half = count_ / 2;
    return mean_of(count_ - half, count_) - mean_of(0, count_ - half);
  }

 private:
  // Mean of the values from the `from`-th to the `to`-th oldest (exclusive).
  double mean_of(std::size_t from, std::size_t to) const {
    if (to <= from) return 0.0;
    const std::size_t oldest = count_ < values_.size() ? 0 : next_;
    double sum = 0.0;
    for (std::size_t k = from; k < to; ++k) sum += values_[(oldest + k) % values_.size()];
    return sum / static_cast<double>(to - from);
  }

  std::vector<double> values_;
  std::size_t next_ = 0;
  std::size_t count_ = 0;
};

}  // namespace tars::marl
