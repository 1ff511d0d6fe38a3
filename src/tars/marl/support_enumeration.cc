// Support enumeration for two players, generalised to degenerate games (see nash.h): the
// vertices of each player's best-response polyhedron, then the pairs that are equilibria.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <set>
#include <utility>

#include "tars/marl/linear_system.h"
#include "tars/marl/nash.h"
#include "tars/marl/nash_internal.h"

namespace tars::marl {
namespace {

// Action sets are bit masks, so support enumeration handles at most 64 actions per player.
constexpr std::size_t kMaxActions = 64;
// Pivots at or below this (relative to max(1, max |payoff|)) mean a singular system.
constexpr double kPivotTolerance = 1e-11;
// Dominated actions are removed first when m x n x (m + n) is at most this (a pass costs about
// m x n x (m + n) comparisons).
constexpr double kMaxDominanceWork = 1 << 24;

struct Vertex {
  std::vector<double> strategy;
  std::uint64_t support = 0;         // own actions played with positive probability
  std::uint64_t best_responses = 0;  // opponent actions that are best responses to `strategy`
};

// Advances `subset` (sorted indices below n) to the next subset of its size in lexicographic
// order; false after the last one.
bool next_subset(std::vector<std::size_t>& subset, std::size_t n) {
  const std::size_t k = subset.size();
  for (std::size_t i = k; i-- > 0;) {
    if (subset[i] < n - k + i) {
      ++subset[i];
      for (std::size_t j = i + 1; j < k; ++j) subset[j] = subset[j - 1] + 1;
      return true;
    }
  }
  return false;
}

std::vector<std::size_t> first_subset(std::size_t k) {
  std::vector<std::size_t> subset(k);
  for (std::size_t i = 0; i < k; ++i) subset[i] = i;
  return subset;
}

// Binomial coefficient C(n, k), saturating at `limit` + 1.
std::size_t binomial_capped(std::size_t n, std::size_t k, std::size_t limit) {
  k = std::min(k, n - k);
  double value = 1.0;
  for (std::size_t i = 1; i <= k; ++i) {
    value = value * static_cast<double>(n - k + i) / static_cast<double>(i);
    if (value > static_cast<double>(limit)) return limit + 1;
  }
  return static_cast<std::size_t>(std::llround(value));
}

// Iterated elimination of strictly dominated actions: removes from `rows` every row i for which
// another remaining row pays the row player more than `tolerance` more against every remaining
// column (payoffs a), and likewise for `columns` (payoffs b), until nothing changes. No
// equilibrium plays such an action, so the equilibria of the reduced game, padded with zeros,
// are exactly those of the game. `a` and `b` are m x n row-major with n = `n`.
void remove_dominated_actions(std::span<const double> a, std::span<const double> b, std::size_t n,
                              double tolerance, std::vector<std::size_t>& rows,
                              std::vector<std::size_t>& columns) {
  const auto dominated = [&](std::vector<std::size_t>& own, const std::vector<std::size_t>& other,
                             auto payoff) {
    for (std::size_t i = 0; i < own.size(); ++i) {
      for (std::size_t better = 0; better < own.size(); ++better) {
        if (better == i) continue;
        const bool strictly = std::all_of(other.begin(), other.end(), [&](std::size_t o) {
          return payoff(own[better], o) > payoff(own[i], o) + tolerance;
        });
        if (strictly) {
          own.erase(own.begin() + static_cast<std::ptrdiff_t>(i));
          return true;
        }
      }
    }
    return false;
  };
  const auto row_payoff = [&](std::size_t i, std::size_t j) { return a[i * n + j]; };
  const auto column_payoff = [&](std::size_t j, std::size_t i) { return b[i * n + j]; };
  while (dominated(rows, columns, row_payoff) || dominated(columns, rows, column_payoff)) {
  }
}

// Enumerates the vertices of {(s, v): s a mixed strategy over `own` actions, (s^T M)_j <= v for
// every opponent action j}, where M (own x opponent, row-major) holds the opponent's payoffs.
// For each support I the indifference sets K are chosen by depth-first search, so systems
// sharing the first equations share their elimination, and a prefix of K whose equations are
// already dependent is not extended.
class VertexEnumerator {
 public:
  VertexEnumerator(std::vector<double> opponent_payoffs, std::size_t own, std::size_t opponent,
                   double payoff_tolerance, double pivot_tolerance)
      : m_(std::move(opponent_payoffs)),
        own_(own),
        opponent_(opponent),
        payoff_tolerance_(payoff_tolerance),
        pivot_tolerance_(pivot_tolerance),
        elimination_(own + 1),
        equation_(own + 1),
        solution_(own + 1),
        opponent_values_(opponent) {}

  // Every vertex once; `systems` counts the square systems solved.
  std::vector<Vertex> run(std::size_t& systems) {
    vertices_.clear();
    seen_.clear();
    systems_ = &systems;
    for (std::size_t k = 1; k <= std::min(own_, opponent_); ++k) {
      support_ = first_subset(k);
      do {
        // Unknowns s_I (k of them) and v; the first equation is sum s = 1.
        elimination_.reset(k + 1);
        std::fill_n(equation_.begin(), k, 1.0);
        equation_[k] = 0.0;
        if (elimination_.add({equation_.data(), k + 1}, 1.0, pivot_tolerance_)) {
          choose_indifferent(0);
        }
      } while (next_subset(support_, own_));
    }
    return std::move(vertices_);
  }

 private:
  double entry(std::size_t own, std::size_t opponent) const {
    return m_[own * opponent_ + opponent];
  }

  // Adds the equations (s^T M)_j = v for opponent actions j >= `first`, one per level, until
  // there are |I| of them; then solves.
  void choose_indifferent(std::size_t first) {
    const std::size_t k = support_.size();
    const std::size_t chosen = elimination_.equations() - 1;
    if (chosen == k) {
      ++*systems_;
      record_if_vertex();
      return;
    }
    for (std::size_t j = first; j + (k - chosen) <= opponent_; ++j) {
      elimination_.truncate(chosen + 1);
      for (std::size_t c = 0; c < k; ++c) equation_[c] = entry(support_[c], j);
      equation_[k] = -1.0;
      if (elimination_.add({equation_.data(), k + 1}, 0.0, pivot_tolerance_)) {
        choose_indifferent(j + 1);
      }
    }
  }

  // Keeps the solution when s >= 0 and no opponent action pays more than v. A vertex is
  // identified by its support and best-response set (all its tight constraints, which
  // include a basis), so each is kept once.
  void record_if_vertex() {
    const std::size_t k = support_.size();
    elimination_.solve({solution_.data(), k + 1});
    for (std::size_t c = 0; c < k; ++c) {
      if (solution_[c] < -internal::kZeroProbability) return;
    }
    const double value = solution_[k];
    for (std::size_t j = 0; j < opponent_; ++j) {
      double payoff = 0.0;
      for (std::size_t c = 0; c < k; ++c) payoff += entry(support_[c], j) * solution_[c];
      if (payoff > value + payoff_tolerance_) return;
      opponent_values_[j] = payoff;
    }
    Vertex vertex;
    for (std::size_t c = 0; c < k; ++c) {
      if (solution_[c] > internal::kZeroProbability)
        vertex.support |= std::uint64_t{1} << support_[c];
    }
    for (std::size_t j = 0; j < opponent_; ++j) {
      if (opponent_values_[j] >= value - payoff_tolerance_) {
        vertex.best_responses |= std::uint64_t{1} << j;
      }
    }
    if (!seen_.emplace(vertex.support, vertex.best_responses).second) return;
    vertex.strategy.assign(own_, 0.0);
    double total = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
      if (solution_[c] <= internal::kZeroProbability) continue;
      vertex.strategy[support_[c]] = solution_[c];
      total += solution_[c];
    }
    for (double& probability : vertex.strategy) probability /= total;
    vertices_.push_back(std::move(vertex));
  }

  std::vector<double> m_;
  std::size_t own_;
  std::size_t opponent_;
  double payoff_tolerance_;
  double pivot_tolerance_;
  IncrementalElimination elimination_;
  std::vector<double> equation_;         // the equation being added
  std::vector<double> solution_;         // (s_I, v) of the current system
  std::vector<double> opponent_values_;  // (s^T M)_j of the current solution
  std::vector<std::size_t> support_;     // the current support I
  std::size_t* systems_ = nullptr;
  std::vector<Vertex> vertices_;
  std::set<std::pair<std::uint64_t, std::uint64_t>> seen_;
};

}  // namespace

core::Expected<NashResult> support_enumeration(const NormalFormGame& game,
                                               const NashOptions& options) {
  if (game.players() != 2) {
    return core::invalid_argument(fmt::format(
        "support enumeration needs a 2-player game, this one has {} players", game.players()));
  }
  const std::size_t m = game.actions(0);
  const std::size_t n = game.actions(1);
  const std::span<const double> a = game.payoffs(0);
  const std::span<const double> b = game.payoffs(1);
  const double payoff_tolerance = internal::payoff_tolerance(game, options.tolerance);
  std::vector<std::size_t> rows(m), columns(n);
  std::iota(rows.begin(), rows.end(), 0);
  std::iota(columns.begin(), columns.end(), 0);
  if (static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(m + n) <=
      kMaxDominanceWork) {
    remove_dominated_actions(a, b, n, payoff_tolerance, rows, columns);
  }
  const std::size_t m_left = rows.size();
  const std::size_t n_left = columns.size();
  if (m_left > kMaxActions || n_left > kMaxActions) {
    return core::out_of_range(fmt::format(
        "support enumeration handles at most {} actions per player, the game is {} x {} ({} x {} "
        "without dominated actions)",
        kMaxActions, m, n, m_left, n_left));
  }
  if (binomial_capped(m_left + n_left, m_left, options.max_support_systems) >
      options.max_support_systems) {
    return core::out_of_range(fmt::format(
        "support enumeration of a {} x {} game ({} x {} without dominated actions) needs more "
        "than {} linear systems per player",
        m, n, m_left, n_left, options.max_support_systems));
  }
  const double pivot_tolerance = kPivotTolerance * std::max(1.0, game.max_abs_payoff());
  // The row player's vertices are judged by the column player's payoffs B and the column
  // player's by the row player's payoffs transposed, A^T, both restricted to the actions left.
  std::vector<double> b_left(m_left * n_left), a_transposed(n_left * m_left);
  for (std::size_t r = 0; r < m_left; ++r) {
    for (std::size_t c = 0; c < n_left; ++c) {
      b_left[r * n_left + c] = b[rows[r] * n + columns[c]];
      a_transposed[c * m_left + r] = a[rows[r] * n + columns[c]];
    }
  }
  NashResult result{.method = "support_enumeration", .converged = true};
  const std::vector<Vertex> row_vertices =
      VertexEnumerator(std::move(b_left), m_left, n_left, payoff_tolerance, pivot_tolerance)
          .run(result.iterations);
  const std::vector<Vertex> column_vertices =
      VertexEnumerator(std::move(a_transposed), n_left, m_left, payoff_tolerance, pivot_tolerance)
          .run(result.iterations);
  DeviationPayoffs deviations(game);
  Profile profile{std::vector<double>(m), std::vector<double>(n)};
  for (const Vertex& x : row_vertices) {
    for (const Vertex& y : column_vertices) {
      // Each player's support must consist of best responses to the other's strategy.
      if ((x.support & ~y.best_responses) != 0 || (y.support & ~x.best_responses) != 0) continue;
      if (result.equilibria.size() == options.max_equilibria) {
        result.truncated = true;
        internal::set_exploitability(result);
        return result;
      }
      for (std::size_t r = 0; r < m_left; ++r) profile[0][rows[r]] = x.strategy[r];
      for (std::size_t c = 0; c < n_left; ++c) profile[1][columns[c]] = y.strategy[c];
      internal::add_equilibrium(profile, payoff_tolerance, deviations, result);
    }
  }
  internal::set_exploitability(result);
  return result;
}

}  // namespace tars::marl
