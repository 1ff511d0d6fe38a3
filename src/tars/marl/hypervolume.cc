#include "tars/marl/hypervolume.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tars/marl/pareto.h"

namespace tars::marl {
namespace {

using Point = const double*;

// First objective, descending: the order every recursion level keeps its point lists in.
bool first_descending(Point a, Point b) { return a[0] > b[0]; }

// Hypervolume of `points` (all above `reference`, sorted by first_descending) in the first
// `objectives` objectives.
double slice_volume(const std::vector<Point>& points, std::size_t objectives,
                    const double* reference) {
  if (points.empty()) return 0.0;
  if (objectives == 1) return points.front()[0] - reference[0];
  if (objectives == 2) {
    double area = 0.0;
    double covered = reference[1];  // highest second objective seen so far
    for (Point p : points) {
      if (p[1] > covered) {
        area += (p[0] - reference[0]) * (p[1] - covered);
        covered = p[1];
      }
    }
    return area;
  }
  const std::size_t last = objectives - 1;
  std::vector<Point> by_last = points;
  std::stable_sort(by_last.begin(), by_last.end(),
                   [last](Point a, Point b) { return a[last] > b[last]; });
  std::vector<Point> above;  // the points at or above the current slice, first_descending
  above.reserve(points.size());
  double volume = 0.0;
  for (std::size_t i = 0; i < by_last.size(); ++i) {
    above.insert(std::upper_bound(above.begin(), above.end(), by_last[i], first_descending),
                 by_last[i]);
    const double next = i + 1 < by_last.size() ? by_last[i + 1][last] : reference[last];
    if (by_last[i][last] > next) {
      volume += (by_last[i][last] - next) * slice_volume(above, last, reference);
    }
  }
  return volume;
}

}  // namespace

core::Expected<double> hypervolume(const std::vector<std::vector<double>>& points,
                                   std::span<const double> reference) {
  if (reference.empty()) return core::invalid_argument("the reference point has no objectives");
  for (std::size_t k = 0; k < reference.size(); ++k) {
    if (!std::isfinite(reference[k])) {
      return core::invalid_argument(fmt::format("reference objective {} is not finite", k));
    }
  }
  if (points.empty()) return 0.0;
  if (core::Status status = validate_objectives(points); !status.ok()) return status;
  const std::size_t objectives = reference.size();
  if (points[0].size() != objectives) {
    return core::invalid_argument(fmt::format("the points have {} objectives, the reference {}",
                                              points[0].size(), objectives));
  }
  if (objectives >= 3 && std::pow(static_cast<double>(points.size()),
                                  static_cast<double>(objectives - 1)) > kMaxHypervolumeWork) {
    return core::out_of_range(fmt::format(
        "exact hypervolume of {} points in {} objectives exceeds the work limit ({:g} = N^(k-1))",
        points.size(), objectives, kMaxHypervolumeWork));
  }
  std::vector<std::vector<double>> above;
  for (const std::vector<double>& point : points) {
    bool counts = true;
    for (std::size_t k = 0; k < objectives && counts; ++k) counts = point[k] > reference[k];
    if (counts) above.push_back(point);
  }
  if (above.empty()) return 0.0;
  std::vector<Point> kept;
  if (objectives >= 3) {
    // Dominated points add no volume but would multiply HSO's work.
    auto frontier = pareto_frontier(above);
    if (!frontier.ok()) return frontier.status();
    for (std::size_t i : *frontier) kept.push_back(above[i].data());
  } else {
    for (const std::vector<double>& point : above) kept.push_back(point.data());
  }
  std::sort(kept.begin(), kept.end(), first_descending);
  return slice_volume(kept, objectives, reference.data());
}

}  // namespace tars::marl
