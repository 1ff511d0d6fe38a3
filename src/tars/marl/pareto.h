// Pareto coordination: the non-dominated candidates among joint actions' payoff vectors (every
// objective maximised) and the choice of one of them.
//
// Normalisation (used by every selection rule): objective k of candidate i becomes
// z_ik = (f_ik - min_k) / (max_k - min_k), min and max taken over all candidates (not only the
// frontier), so z is in [0, 1] and the rules do not depend on the objectives' units. An
// objective that is equal for all candidates cannot separate them and gets z = 1.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "tars/core/status.h"

namespace tars::marl {

enum class ParetoRule {
  kWeightedSum,  // maximise sum_k w_k z_k (weights >= 0, not all 0)
  kMaxMin,       // maximise min_k z_k: the worst-off objective does as well as possible
  kCentroid,     // minimise the Euclidean distance of z to the frontier's mean z
};

struct ParetoSelection {
  // Candidates no other candidate dominates, ascending; of equal candidates only the first.
  std::vector<std::size_t> frontier = {};
  std::size_t chosen = 0;  // the selected candidate; ties go to the lowest index
  // The rule's value for `chosen`: the weighted sum, the worst normalised objective, or the
  // distance to the centroid.
  double score = 0.0;
};

// `points[i][k]` is candidate i's value of objective k: at least one candidate, the same number
// (>= 1) of objectives for all, finite values. The error names the candidate.
core::Status validate_objectives(const std::vector<std::vector<double>>& points);

// The Pareto frontier: candidate a dominates b when a_k >= b_k for every k and a != b.
// O(N^2 k).
core::Expected<std::vector<std::size_t>> pareto_frontier(
    const std::vector<std::vector<double>>& points);

// z_ik as defined above.
core::Expected<std::vector<std::vector<double>>> normalise_objectives(
    const std::vector<std::vector<double>>& points);

// The frontier and the frontier candidate chosen by `rule`; `weights` (one per objective) only
// for kWeightedSum, and empty otherwise.
core::Expected<ParetoSelection> select_pareto(const std::vector<std::vector<double>>& points,
                                              ParetoRule rule,
                                              std::span<const double> weights = {});

}  // namespace tars::marl
