// One series of a gauge family: a value that goes up and down (open connections, queue depth).
// Lock-free; a handle may be kept and used from any thread.
#pragma once

#include <atomic>

namespace tars::obs {

class Gauge {
 public:
  // Replaces the value.
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  // Adds `amount` (which may be negative).
  void inc(double amount = 1.0) { value_.fetch_add(amount, std::memory_order_relaxed); }
  // Subtracts `amount`.
  void dec(double amount = 1.0) { value_.fetch_sub(amount, std::memory_order_relaxed); }
  // The current value.
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  static_assert(std::atomic<double>::is_always_lock_free);
  std::atomic<double> value_{0.0};
};

}  // namespace tars::obs
