#include "tars/marl/pareto.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace tars::marl {
namespace {

// Whether a dominates b, or equals b when `or_equal`.
bool dominates(const std::vector<double>& a, const std::vector<double>& b, bool or_equal) {
  bool strictly = false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k] < b[k]) return false;
    strictly = strictly || a[k] > b[k];
  }
  return strictly || or_equal;
}

core::Status validate_weights(std::span<const double> weights, std::size_t objectives) {
  if (weights.size() != objectives) {
    return core::invalid_argument(
        fmt::format("{} weights for {} objectives", weights.size(), objectives));
  }
  double total = 0.0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    if (!std::isfinite(weights[k]) || weights[k] < 0.0) {
      return core::invalid_argument(
          fmt::format("weight {} is {}, expected a finite number >= 0", k, weights[k]));
    }
    total += weights[k];
  }
  if (total <= 0.0) return core::invalid_argument("the weights are all 0");
  return {};
}

// The rule's score of normalised point z; larger is better (the centroid rule's distance is
// negated here and reported positive).
double score(ParetoRule rule, const std::vector<double>& z, std::span<const double> weights,
             const std::vector<double>& centroid) {
  double value = 0.0;
  switch (rule) {
    case ParetoRule::kWeightedSum:
      for (std::size_t k = 0; k < z.size(); ++k) value += weights[k] * z[k];
      return value;
    case ParetoRule::kMaxMin:
      return *std::min_element(z.begin(), z.end());
    case ParetoRule::kCentroid:
      for (std::size_t k = 0; k < z.size(); ++k)
        value += (z[k] - centroid[k]) * (z[k] - centroid[k]);
      return -std::sqrt(value);
  }
  return value;
}

}  // namespace

core::Status validate_objectives(const std::vector<std::vector<double>>& points) {
  if (points.empty()) return core::invalid_argument("there are no candidates");
  const std::size_t objectives = points[0].size();
  if (objectives == 0) return core::invalid_argument("candidate 0 has no objectives");
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].size() != objectives) {
      return core::invalid_argument(fmt::format("candidate {} has {} objectives, expected {}", i,
                                                points[i].size(), objectives));
    }
    for (std::size_t k = 0; k < objectives; ++k) {
      if (!std::isfinite(points[i][k])) {
        return core::invalid_argument(
            fmt::format("candidate {}'s objective {} is not finite", i, k));
      }
    }
  }
  return {};
}

core::Expected<std::vector<std::size_t>> pareto_frontier(
    const std::vector<std::vector<double>>& points) {
  if (core::Status status = validate_objectives(points); !status.ok()) return status;
  std::vector<std::size_t> frontier;
  for (std::size_t i = 0; i < points.size(); ++i) {
    bool kept = true;
    // An earlier equal candidate also removes i, so that of equal candidates only the first stays.
    for (std::size_t j = 0; j < points.size() && kept; ++j) {
      kept = j == i || !dominates(points[j], points[i], /*or_equal=*/j < i);
    }
    if (kept) frontier.push_back(i);
  }
  return frontier;
}

core::Expected<std::vector<std::vector<double>>> normalise_objectives(
    const std::vector<std::vector<double>>& points) {
  if (core::Status status = validate_objectives(points); !status.ok()) return status;
  const std::size_t objectives = points[0].size();
  std::vector<std::vector<double>> normalised = points;
  for (std::size_t k = 0; k < objectives; ++k) {
    double low = points[0][k];
    double high = low;
    for (const std::vector<double>& point : points) {
      low = std::min(low, point[k]);
      high = std::max(high, point[k]);
    }
    for (std::vector<double>& z : normalised) z[k] = high > low ? (z[k] - low) / (high - low) : 1.0;
  }
  return normalised;
}

core::Expected<ParetoSelection> select_pareto(const std::vector<std::vector<double>>& points,
                                              ParetoRule rule, std::span<const double> weights) {
  auto normalised = normalise_objectives(points);
  if (!normalised.ok()) return normalised.status();
  const std::size_t objectives = points[0].size();
  if (rule == ParetoRule::kWeightedSum) {
    if (core::Status status = validate_weights(weights, objectives); !status.ok()) return status;
  } else if (!weights.empty()) {
    return core::invalid_argument("weights are only used by the weighted-sum rule");
  }
  auto frontier = pareto_frontier(points);
  if (!frontier.ok()) return frontier.status();
  std::vector<double> centroid(objectives, 0.0);
  for (std::size_t i : *frontier) {
    for (std::size_t k = 0; k < objectives; ++k) centroid[k] += (*normalised)[i][k];
  }
  for (double& c : centroid) c /= static_cast<double>(frontier->size());
  ParetoSelection selection{.frontier = std::move(*frontier)};
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t i : selection.frontier) {
    const double value = score(rule, (*normalised)[i], weights, centroid);
    if (value > best) {
      best = value;
      selection.chosen = i;
    }
  }
  selection.score = rule == ParetoRule::kCentroid ? -best : best;
  return selection;
}

}  // namespace tars::marl
