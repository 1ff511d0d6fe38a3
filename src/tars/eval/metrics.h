// The numbers an evaluation is judged by: return statistics over its episodes, success rate,
// action entropy and the policy's loss trend (T.A.R.S. 1.0's `metrics` object).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/space.h"
#include "tars/store/records.h"

namespace tars::eval {

// Equal-width bins per dimension of a Box action space in the action histogram.
inline constexpr int kActionBins = 10;
// The loss trend is the least-squares slope of this many most recent losses...
inline constexpr std::size_t kLossTrendWindow = 10;
// ...increasing above this slope (per loss report), decreasing below its negative.
inline constexpr double kLossTrendSlope = 0.05;

// How often each action was taken. Discrete(n): one row of n counts. Box: one row of kActionBins
// counts per dimension; bin b of a dimension covers [low + b·w, low + (b+1)·w) with
// w = (high - low) / kActionBins, the top bin also holds `high`, and values outside the bounds
// count in the nearest end bin.
class ActionHistogram {
 public:
  // Fails for a Box with an infinite bound (it cannot be binned).
  static core::Expected<ActionHistogram> for_space(const env::Space& space);

  // Precondition: the action belongs to the space's kind (0 <= action < n, or one value per
  // dimension).
  void add(std::int64_t action);
  void add(std::span<const float> action);

  const std::vector<std::vector<std::int64_t>>& counts() const { return counts_; }
  std::int64_t total() const { return total_; }  // actions added

 private:
  std::vector<std::vector<std::int64_t>> counts_;  // [row][bin]
  std::vector<double> low_;                        // Box: per dimension
  std::vector<double> bin_width_;                  // Box: per dimension
  std::int64_t total_ = 0;
};

// Shannon entropy in nats of the distribution the counts describe; 0 when they are all zero.
double shannon_entropy(std::span<const std::int64_t> counts);

// The mean over the histogram's rows of each row's entropy: for Discrete(n) the entropy of the
// action distribution (at most ln n), for a Box the mean per-dimension entropy of the binned
// actions (at most ln kActionBins, whatever the dimension). 0 for an empty histogram.
double action_entropy(const ActionHistogram& actions);

// Least-squares slope of the last kLossTrendWindow losses against their index; 0 for fewer than
// two losses.
double loss_slope(std::span<const double> losses);
// kNone without losses, otherwise from loss_slope: kIncreasing, kDecreasing or kStable.
store::LossTrend loss_trend(std::span<const double> losses);

// Metrics of an evaluation: population mean / std / variance, min and max of the returns, the
// fraction of successful episodes, mean steps, action entropy, and the mean and trend of the
// losses (mean_loss is empty without losses). Zero episodes give zero for every return and step
// statistic and a zero success rate.
store::EvaluationMetrics compute_metrics(std::span<const store::EpisodeRecord> episodes,
                                         const ActionHistogram& actions,
                                         std::span<const double> losses);

}  // namespace tars::eval
