// Hypervolume (maximisation): the measure of the region dominated by a point set and dominating
// a reference point, i.e. of the union over points p of the boxes [reference, p]. Points that are
// not above the reference in every objective add nothing.
//
// Method, exact in every dimension:
// - 1 objective: max p - r;
// - 2 objectives: a sweep over the points sorted by the first objective, O(N log N);
// - k >= 3: HSO, "hypervolume by slicing objectives" (While, Hingston, Barone, Huband 2006):
//   dominated points are dropped, the rest sorted by the last objective, and each slab between
//   consecutive values contributes its height times the (k-1)-objective hypervolume of the points
//   above it, recursively down to the 2-objective sweep. O(N^(k-1) log N) time.
// Limit: for k >= 3, N^(k-1) may not exceed kMaxHypervolumeWork (N <= 10 000 for 3 objectives,
// 464 for 4, 100 for 5); larger inputs are refused with kOutOfRange.
#pragma once

#include <span>
#include <vector>

#include "tars/core/status.h"

namespace tars::marl {

inline constexpr double kMaxHypervolumeWork = 1e8;

// `points` as for pareto.h's validate_objectives; `reference` has one finite value per objective.
core::Expected<double> hypervolume(const std::vector<std::vector<double>>& points,
                                   std::span<const double> reference);

}  // namespace tars::marl
