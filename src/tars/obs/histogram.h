// One series of a histogram family: observations counted in buckets with fixed upper bounds, plus
// their sum. Lock-free; a handle may be kept and used from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace tars::obs {

class Histogram {
 public:
  // What a scrape reads from a histogram.
  struct Snapshot {
    std::vector<std::uint64_t> cumulative_counts = {};  // observations <= each bound, then all
    double sum = 0.0;                                   // sum of the observed values
  };

  // `upper_bounds` is strictly increasing, excludes +Inf, and outlives the histogram (its family
  // owns it).
  explicit Histogram(std::span<const double> upper_bounds);

  // Counts `value` in the first bucket whose bound is >= value (NaN and values above every bound
  // in the implicit +Inf bucket) and adds it to the sum.
  void observe(double value);
  // The counts and sum now; the last cumulative count is the number of observations.
  Snapshot snapshot() const;
  // The bucket upper bounds, without the implicit +Inf.
  std::span<const double> upper_bounds() const { return upper_bounds_; }

 private:
  std::span<const double> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket (not cumulative), then +Inf
  std::atomic<double> sum_{0.0};
};

}  // namespace tars::obs
