#include "tars/marl/support_newton.h"

#include <algorithm>
#include <cmath>

#include "tars/marl/nash_internal.h"

namespace tars::marl::internal {
namespace {

constexpr std::size_t kMaxNewtonSteps = 30;
// Converged when no equation is off by more than this times max(1, max |payoff|).
constexpr double kResidualTolerance = 1e-13;
// Iterates this far outside [0, 1] mean Newton is diverging.
constexpr double kDivergence = 1e3;

std::size_t total_actions(const NormalFormGame& game) {
  std::size_t total = 0;
  for (std::size_t count : game.action_counts()) total += count;
  return total;
}

}  // namespace

SupportNewton::SupportNewton(const NormalFormGame& game)
    : game_(&game),
      players_(game.players()),
      supports_(game.players()),
      first_unknown_(game.players()),
      unknowns_(total_actions(game)),
      values_(total_actions(game)),
      cross_offsets_(game.players() * game.players()),
      position_(game.players()),
      residual_(total_actions(game)),
      equation_(total_actions(game)),
      step_(total_actions(game)),
      elimination_(total_actions(game)),
      deviations_(game) {
  std::size_t cross_size = 0;
  for (std::size_t p = 0; p < players_; ++p) {
    supports_[p].reserve(game.actions(p));
    for (std::size_t q = 0; q < players_; ++q) {
      if (q != p) cross_size += game.actions(p) * game.actions(q);
    }
  }
  cross_.resize(cross_size);
}

void SupportNewton::evaluate() {
  std::fill(values_.begin(), values_.end(), 0.0);
  std::fill(cross_.begin(), cross_.end(), 0.0);
  std::fill(position_.begin(), position_.end(), 0);
  const auto probability = [&](std::size_t r) {
    return unknowns_[first_unknown_[r] + position_[r]];
  };
  while (true) {
    std::size_t flat = 0;
    for (std::size_t r = 0; r < players_; ++r) {
      flat += supports_[r][position_[r]] * game_->stride(r);
    }
    for (std::size_t p = 0; p < players_; ++p) {
      const double payoff = game_->payoffs(p)[flat];
      double others = 1.0;
      for (std::size_t r = 0; r < players_; ++r) others *= r == p ? 1.0 : probability(r);
      values_[first_unknown_[p] + position_[p]] += payoff * others;
      for (std::size_t q = 0; q < players_; ++q) {
        if (q == p) continue;
        double rest = 1.0;
        for (std::size_t r = 0; r < players_; ++r) rest *= r == p || r == q ? 1.0 : probability(r);
        cross(p, q, position_[p], position_[q]) += payoff * rest;
      }
    }
    bool advanced = false;
    for (std::size_t r = players_; r-- > 0 && !advanced;) {  // last player fastest
      advanced = ++position_[r] < supports_[r].size();
      if (!advanced) position_[r] = 0;
    }
    if (!advanced) return;
  }
}

bool SupportNewton::refine(Profile& profile, double payoff_tolerance) {
  std::size_t tried = 0;
  for (double threshold : kSupportThresholds) {
    // A higher threshold leaves fewer actions; the first threshold that empties a player's
    // support empties it for the rest too.
    std::size_t unknowns = 0;
    bool changed = tried == 0;
    for (std::size_t p = 0; p < players_; ++p) {
      const std::size_t before = supports_[p].size();
      supports_[p].clear();
      for (std::size_t a = 0; a < profile[p].size(); ++a) {
        if (profile[p][a] >= threshold) supports_[p].push_back(a);
      }
      if (supports_[p].empty()) return false;
      changed = changed || supports_[p].size() != before;
      unknowns += supports_[p].size();
    }
    if (!changed) continue;  // same supports as the last threshold (they only shrink)
    ++tried;
    if (solve_on_supports(profile, unknowns, payoff_tolerance)) return true;
  }
  return false;
}

bool SupportNewton::solve_on_supports(Profile& profile, std::size_t unknowns,
                                      double payoff_tolerance) {
  std::size_t next = 0;
  for (std::size_t p = 0; p < players_; ++p) {
    first_unknown_[p] = next;
    double total = 0.0;
    for (std::size_t a : supports_[p]) total += profile[p][a];
    for (std::size_t a : supports_[p]) unknowns_[next++] = profile[p][a] / total;
  }
  std::size_t offset = 0;
  for (std::size_t p = 0; p < players_; ++p) {
    for (std::size_t q = 0; q < players_; ++q) {
      cross_offsets_[p * players_ + q] = offset;
      if (q != p) offset += supports_[p].size() * supports_[q].size();
    }
  }
  const double residual_tolerance = kResidualTolerance * std::max(1.0, game_->max_abs_payoff());
  const double pivot_tolerance = 1e-12 * std::max(1.0, game_->max_abs_payoff());
  bool converged = false;
  for (std::size_t step = 0; step <= kMaxNewtonSteps && !converged; ++step) {
    evaluate();
    // Residuals: per player the sum equation, then the indifference equations.
    double largest = 0.0;
    for (std::size_t p = 0; p < players_; ++p) {
      const std::size_t first = first_unknown_[p];
      double sum = -1.0;
      for (std::size_t i = 0; i < supports_[p].size(); ++i) sum += unknowns_[first + i];
      residual_[first] = sum;
      for (std::size_t i = 1; i < supports_[p].size(); ++i) {
        residual_[first + i] = values_[first + i] - values_[first];
      }
      for (std::size_t i = 0; i < supports_[p].size(); ++i) {
        largest = std::max(largest, std::abs(residual_[first + i]));
      }
    }
    converged = largest <= residual_tolerance;
    if (converged || step == kMaxNewtonSteps) break;
    // The Jacobian, one equation at a time, solved for the Newton step J d = -F.
    elimination_.reset(unknowns);
    for (std::size_t p = 0; p < players_; ++p) {
      const std::size_t first = first_unknown_[p];
      for (std::size_t i = 0; i < supports_[p].size(); ++i) {
        std::fill_n(equation_.begin(), unknowns, 0.0);
        if (i == 0) {
          std::fill_n(equation_.begin() + static_cast<std::ptrdiff_t>(first), supports_[p].size(),
                      1.0);
        } else {
          for (std::size_t q = 0; q < players_; ++q) {
            if (q == p) continue;
            for (std::size_t k = 0; k < supports_[q].size(); ++k) {
              equation_[first_unknown_[q] + k] = cross(p, q, i, k) - cross(p, q, 0, k);
            }
          }
        }
        if (!elimination_.add({equation_.data(), unknowns}, -residual_[first + i],
                              pivot_tolerance)) {
          return false;
        }
      }
    }
    elimination_.solve({step_.data(), unknowns});
    for (std::size_t i = 0; i < unknowns; ++i) {
      unknowns_[i] += step_[i];
      if (!(std::abs(unknowns_[i]) < kDivergence)) return false;
    }
  }
  if (!converged) return false;
  for (std::size_t i = 0; i < unknowns; ++i) {
    if (unknowns_[i] < -kZeroProbability) return false;
  }
  Profile candidate = profile;
  for (std::size_t p = 0; p < players_; ++p) {
    std::fill(candidate[p].begin(), candidate[p].end(), 0.0);
    double total = 0.0;
    for (std::size_t i = 0; i < supports_[p].size(); ++i) {
      const double probability = std::max(0.0, unknowns_[first_unknown_[p] + i]);
      candidate[p][supports_[p][i]] = probability;
      total += probability;
    }
    for (double& probability : candidate[p]) probability /= total;
  }
  deviations_.compute(candidate);
  for (std::size_t p = 0; p < players_; ++p) {
    if (deviations_.regret(p) > payoff_tolerance) return false;
  }
  profile = std::move(candidate);
  return true;
}

}  // namespace tars::marl::internal
