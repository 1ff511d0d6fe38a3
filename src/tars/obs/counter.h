// One series of a counter family: a total that only goes up (requests served, bytes sent).
// Lock-free; a handle may be kept and used from any thread.
#pragma once

#include <atomic>

namespace tars::obs {

class Counter {
 public:
  // Adds `amount`; negative and NaN amounts are ignored, so the total never decreases.
  void inc(double amount = 1.0) {
    if (amount >= 0.0) value_.fetch_add(amount, std::memory_order_relaxed);
  }
  // Raises the total to `total` when that is higher: for counters mirroring a cumulative total
  // kept elsewhere, such as the CPU time the kernel reports.
  void raise_to(double total) {
    double current = value_.load(std::memory_order_relaxed);
    while (current < total &&
           !value_.compare_exchange_weak(current, total, std::memory_order_relaxed)) {
      // A failed exchange reloaded `current`; retry while it is still lower.
    }
  }
  // The current total.
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  static_assert(std::atomic<double>::is_always_lock_free);
  std::atomic<double> value_{0.0};
};

}  // namespace tars::obs
