// Small dense linear systems for the Nash solvers.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace tars::marl {

// Gaussian elimination with partial pivoting, one equation at a time: each added equation is
// reduced against the earlier ones and pivots on its largest remaining coefficient (partial
// pivoting of the transposed system). Dropping the last equations and adding others reuses the
// work on the first ones, which support enumeration exploits: consecutive systems share their
// leading equations. Never allocates after construction.
class IncrementalElimination {
 public:
  explicit IncrementalElimination(std::size_t max_unknowns);

  // Starts a system in `unknowns` (<= max_unknowns) unknowns, without equations.
  void reset(std::size_t unknowns);
  // Keeps only the first `count` equations.
  void truncate(std::size_t count) { equations_ = count; }
  std::size_t equations() const { return equations_; }
  // Adds `coefficients` . z = rhs. Returns false, adding nothing, when the equation is linearly
  // dependent on the earlier ones: no remaining coefficient exceeds `pivot_tolerance` in magnitude.
  bool add(std::span<const double> coefficients, double rhs, double pivot_tolerance);
  // With as many equations as unknowns, writes the solution to `z` (size: unknowns).
  void solve(std::span<double> z) const;

 private:
  std::size_t max_unknowns_;
  std::size_t unknowns_ = 0;
  std::size_t equations_ = 0;
  std::vector<double> rows_;         // reduced equations, max_unknowns_ coefficients each
  std::vector<double> rhs_;          // their right-hand sides
  std::vector<std::size_t> pivots_;  // the pivot column of each equation
  std::vector<bool> pivoted_;        // whether a column is some equation's pivot (scratch)
};

}  // namespace tars::marl
