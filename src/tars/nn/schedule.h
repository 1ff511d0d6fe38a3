// Hyperparameter schedules as RL Baselines3 Zoo writes them: a constant ("0.001") or linear
// decay to zero ("lin_0.001": value = 0.001 * progress_remaining, where progress_remaining goes
// from 1 at the start of training to 0 at the end, as Stable-Baselines3 computes it).
#pragma once

#include <string>
#include <string_view>

#include "tars/core/status.h"

namespace tars::nn {

class Schedule {
 public:
  enum class Kind { kConstant, kLinear };

  static Schedule constant(double value) { return {Kind::kConstant, value}; }
  static Schedule linear(double initial_value) { return {Kind::kLinear, initial_value}; }
  // "0.001", "1e-3" or "lin_0.001" (finite numbers only); anything else is an error quoting the
  // text and the accepted forms.
  static core::Expected<Schedule> parse(std::string_view text);

  // The value at `progress_remaining` (clamped to [0, 1]).
  double value(double progress_remaining) const;
  double operator()(double progress_remaining) const { return value(progress_remaining); }
  Kind kind() const { return kind_; }
  double initial_value() const { return initial_; }
  // Round-trips through parse(): "0.001" or "lin_0.001" (shortest exact representation).
  std::string to_string() const;

 private:
  Schedule(Kind kind, double initial) : kind_(kind), initial_(initial) {}

  Kind kind_;
  double initial_;
};

// 1 - steps_done / total_steps, clamped to [0, 1] (SB3's _current_progress_remaining).
double progress_remaining(double steps_done, double total_steps);

}  // namespace tars::nn
