#include "tars/obs/histogram.h"

#include <algorithm>

namespace tars::obs {

Histogram::Histogram(std::span<const double> upper_bounds)
    : upper_bounds_(upper_bounds),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds.size() + 1)) {}

void Histogram::observe(double value) {
  // `!(bound >= value)` rather than `bound < value`: NaN compares false with every bound, so it
  // passes all of them and lands in the +Inf bucket, keeping that bucket equal to the count.
  const auto bucket = std::partition_point(upper_bounds_.begin(), upper_bounds_.end(),
                                           [value](double bound) { return !(bound >= value); });
  counts_[static_cast<std::size_t>(bucket - upper_bounds_.begin())].fetch_add(
      1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.cumulative_counts.reserve(upper_bounds_.size() + 1);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative_counts.push_back(total);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

}  // namespace tars::obs
