#include "tars/eval/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tars::eval {

core::Expected<ActionHistogram> ActionHistogram::for_space(const env::Space& space) {
  ActionHistogram histogram;
  if (space.is_discrete()) {
    histogram.counts_.assign(1, std::vector<std::int64_t>(static_cast<std::size_t>(space.n())));
    return histogram;
  }
  for (std::size_t d = 0; d < space.flat_size(); ++d) {
    const double low = space.low()[d];
    const double high = space.high()[d];
    if (!std::isfinite(low) || !std::isfinite(high)) {
      return core::invalid_argument(fmt::format(
          "cannot bin actions of {}: dimension {} has an infinite bound", space.describe(), d));
    }
    histogram.low_.push_back(low);
    histogram.bin_width_.push_back((high - low) / kActionBins);
  }
  histogram.counts_.assign(space.flat_size(), std::vector<std::int64_t>(kActionBins));
  return histogram;
}

void ActionHistogram::add(std::int64_t action) {
  ++counts_[0][static_cast<std::size_t>(action)];
  ++total_;
}

void ActionHistogram::add(std::span<const float> action) {
  for (std::size_t d = 0; d < action.size(); ++d) {
    // A zero-width dimension (low == high) puts everything in bin 0.
    const double position = bin_width_[d] > 0.0 ? (action[d] - low_[d]) / bin_width_[d] : 0.0;
    const int bin = std::clamp(static_cast<int>(std::floor(position)), 0, kActionBins - 1);
    ++counts_[d][static_cast<std::size_t>(bin)];
  }
  ++total_;
}

double shannon_entropy(std::span<const std::int64_t> counts) {
  const double total =
      static_cast<double>(std::accumulate(counts.begin(), counts.end(), std::int64_t{0}));
  double entropy = 0.0;
  for (std::int64_t count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / total;
    entropy -= p * std::log(p);
  }
  return entropy;
}

double action_entropy(const ActionHistogram& actions) {
  if (actions.total() == 0) return 0.0;
  double sum = 0.0;
  for (const std::vector<std::int64_t>& row : actions.counts()) sum += shannon_entropy(row);
  return sum / static_cast<double>(actions.counts().size());
}

double loss_slope(std::span<const double> losses) {
  const std::span<const double> window = losses.last(std::min(losses.size(), kLossTrendWindow));
  const double n = static_cast<double>(window.size());
  if (window.size() < 2) return 0.0;
  const double mean_x = (n - 1.0) / 2.0;
  const double mean_y = std::accumulate(window.begin(), window.end(), 0.0) / n;
  double covariance = 0.0;
  double variance_x = 0.0;
  for (std::size_t i = 0; i < window.size(); ++i) {
    const double dx = static_cast<double>(i) - mean_x;
    covariance += dx * (window[i] - mean_y);
    variance_x += dx * dx;
  }
  return covariance / variance_x;
}

store::LossTrend loss_trend(std::span<const double> losses) {
  if (losses.empty()) return store::LossTrend::kNone;
  const double slope = loss_slope(losses);
  if (slope > kLossTrendSlope) return store::LossTrend::kIncreasing;
  if (slope < -kLossTrendSlope) return store::LossTrend::kDecreasing;
  return store::LossTrend::kStable;
}

store::EvaluationMetrics compute_metrics(std::span<const store::EpisodeRecord> episodes,
                                         const ActionHistogram& actions,
                                         std::span<const double> losses) {
  store::EvaluationMetrics metrics;
  metrics.action_entropy = action_entropy(actions);
  metrics.loss_trend = loss_trend(losses);
  if (!losses.empty()) {
    metrics.mean_loss =
        std::accumulate(losses.begin(), losses.end(), 0.0) / static_cast<double>(losses.size());
  }
  if (episodes.empty()) return metrics;

  const double n = static_cast<double>(episodes.size());
  double reward_sum = 0.0;
  double steps_sum = 0.0;
  int successes = 0;
  metrics.min_reward = episodes.front().total_reward;
  metrics.max_reward = episodes.front().total_reward;
  for (const store::EpisodeRecord& episode : episodes) {
    reward_sum += episode.total_reward;
    steps_sum += static_cast<double>(episode.steps);
    successes += episode.success ? 1 : 0;
    metrics.min_reward = std::min(metrics.min_reward, episode.total_reward);
    metrics.max_reward = std::max(metrics.max_reward, episode.total_reward);
  }
  metrics.mean_reward = reward_sum / n;
  double squares = 0.0;
  for (const store::EpisodeRecord& episode : episodes) {
    const double deviation = episode.total_reward - metrics.mean_reward;
    squares += deviation * deviation;
  }
  metrics.reward_variance = squares / n;
  metrics.std_reward = std::sqrt(metrics.reward_variance);
  metrics.success_rate = successes / n;
  metrics.mean_steps = steps_sum / n;
  return metrics;
}

}  // namespace tars::eval
