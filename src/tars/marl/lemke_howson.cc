// Lemke-Howson for two players (von Stengel, "Computing equilibria for two-person games", 2002):
// complementary pivoting on the polytopes P = {x >= 0 : B^T x <= 1} and Q = {y >= 0 : A y <= 1}
// with payoffs shifted to be positive. Labels 0..m-1 are the row actions, m..m+n-1 the column
// actions; in both tableaux the variable with label l is the one whose zero carries label l
// (P: x_i for i < m, slack s_j for m + j; Q: slack r_i for i < m, y_j for m + j).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "tars/marl/nash.h"
#include "tars/marl/nash_internal.h"

namespace tars::marl {
namespace {

// Entries at or below this are not eligible pivots; ratios within it (relative) are ties.
constexpr double kEpsilon = 1e-12;

class Tableau {
 public:
  // `rows` constraints over `labels` variables plus the right-hand side (initially 1); the
  // initial basis is the slack of each row, in the columns starting at `first_slack`.
  Tableau(std::size_t rows, std::size_t labels, std::size_t first_slack)
      : rows_(rows), columns_(labels + 1), first_slack_(first_slack), data_(rows * columns_, 0.0) {
    for (std::size_t r = 0; r < rows; ++r) {
      basis_.push_back(first_slack + r);
      at(r, first_slack + r) = 1.0;
      at(r, labels) = 1.0;
    }
  }

  double& at(std::size_t row, std::size_t column) { return data_[row * columns_ + column]; }
  double at(std::size_t row, std::size_t column) const { return data_[row * columns_ + column]; }

  // Brings the variable `entering` into the basis; returns the label of the variable that left,
  // or nothing when no row limits it (impossible for the bounded polytopes used here).
  std::optional<std::size_t> pivot(std::size_t entering) {
    const std::optional<std::size_t> row = leaving_row(entering);
    if (!row) return std::nullopt;
    const double inverse = 1.0 / at(*row, entering);
    for (std::size_t c = 0; c < columns_; ++c) at(*row, c) *= inverse;
    for (std::size_t r = 0; r < rows_; ++r) {
      const double factor = at(r, entering);
      if (r == *row || factor == 0.0) continue;
      for (std::size_t c = 0; c < columns_; ++c) at(r, c) -= factor * at(*row, c);
    }
    const std::size_t left = basis_[*row];
    basis_[*row] = entering;
    return left;
  }

  // The value of the variable with `label` at the current basic solution (0 when nonbasic).
  double value(std::size_t label) const {
    for (std::size_t r = 0; r < rows_; ++r) {
      if (basis_[r] == label) return at(r, columns_ - 1);
    }
    return 0.0;
  }

 private:
  // The lexicographic minimum-ratio test: among rows with a positive entry in `entering`, the
  // smallest rhs / entry, ties broken by the initial slack columns in order.
  std::optional<std::size_t> leaving_row(std::size_t entering) const {
    std::optional<std::size_t> best;
    for (std::size_t r = 0; r < rows_; ++r) {
      if (at(r, entering) <= kEpsilon) continue;
      if (!best || lexicographically_smaller(r, *best, entering)) best = r;
    }
    return best;
  }

  bool lexicographically_smaller(std::size_t r, std::size_t s, std::size_t entering) const {
    const double pr = at(r, entering);
    const double ps = at(s, entering);
    for (std::size_t k = 0; k <= rows_; ++k) {
      // The right-hand side first, then the slack columns.
      const std::size_t column = k == 0 ? columns_ - 1 : first_slack_ + k - 1;
      const double a = at(r, column) / pr;
      const double b = at(s, column) / ps;
      if (std::abs(a - b) > kEpsilon * std::max({1.0, std::abs(a), std::abs(b)})) return a < b;
    }
    return false;
  }

  std::size_t rows_;
  std::size_t columns_;
  std::size_t first_slack_;
  std::vector<double> data_;
  std::vector<std::size_t> basis_;  // label of the basic variable in each row
};

// The equilibrium reached by dropping `label`, or nothing if pivoting failed; adds the pivots
// made to `pivots`.
std::optional<Profile> follow_path(const NormalFormGame& game, std::size_t label,
                                   std::size_t max_pivots, std::size_t& pivots) {
  const std::size_t m = game.actions(0);
  const std::size_t n = game.actions(1);
  const std::span<const double> a = game.payoffs(0);
  const std::span<const double> b = game.payoffs(1);
  // Shifting a player's payoffs by a constant changes no equilibrium; positive payoffs keep P
  // and Q bounded.
  const double a_shift = 1.0 - *std::min_element(a.begin(), a.end());
  const double b_shift = 1.0 - *std::min_element(b.begin(), b.end());
  Tableau p(n, m + n, m);  // rows: B^T x + s = 1
  Tableau q(m, m + n, 0);  // rows: r + A y = 1
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      p.at(j, i) = b[i * n + j] + b_shift;
      q.at(i, m + j) = a[i * n + j] + a_shift;
    }
  }
  // The dropped label is nonbasic in P if it is a row action (x_i = 0), else in Q (y_j = 0);
  // afterwards the label that left one tableau enters the other.
  Tableau* tableau = label < m ? &p : &q;
  std::size_t entering = label;
  for (std::size_t step = 0; step < max_pivots; ++step) {
    const std::optional<std::size_t> left = tableau->pivot(entering);
    ++pivots;
    if (!left) return std::nullopt;
    if (*left == label) {
      Profile profile{std::vector<double>(m), std::vector<double>(n)};
      for (std::size_t i = 0; i < m; ++i) profile[0][i] = std::max(0.0, p.value(i));
      for (std::size_t j = 0; j < n; ++j) profile[1][j] = std::max(0.0, q.value(m + j));
      for (std::vector<double>& strategy : profile) {
        double total = 0.0;
        for (double probability : strategy) total += probability;
        if (!(total > 0.0)) return std::nullopt;
        for (double& probability : strategy) {
          probability = probability / total <= internal::kZeroProbability ? 0.0 : probability;
        }
        total = 0.0;
        for (double probability : strategy) total += probability;
        for (double& probability : strategy) probability /= total;
      }
      return profile;
    }
    entering = *left;
    tableau = tableau == &p ? &q : &p;
  }
  return std::nullopt;
}

}  // namespace

core::Expected<NashResult> lemke_howson(const NormalFormGame& game, const NashOptions& options) {
  if (game.players() != 2) {
    return core::invalid_argument(
        fmt::format("Lemke-Howson needs a 2-player game, this one has {} players", game.players()));
  }
  const std::size_t labels = game.actions(0) + game.actions(1);
  if (options.lemke_howson_label >= labels) {
    return core::out_of_range(fmt::format("the Lemke-Howson label must be below {}, got {}", labels,
                                          options.lemke_howson_label));
  }
  const double payoff_tolerance = internal::payoff_tolerance(game, options.tolerance);
  constexpr std::size_t kMaxPivotsPerPath = 100'000;
  NashResult result{.method = "lemke_howson", .converged = true};
  DeviationPayoffs deviations(game);
  // From the requested label on; a single run moves to the next label only if rounding spoiled
  // the equilibrium.
  // A pivot updates every entry of one tableau: about (m + n + 1) x max(m, n) entries.
  const double pivot_work = static_cast<double>(labels + 1) *
                            static_cast<double>(std::max(game.actions(0), game.actions(1)));
  for (std::size_t k = 0; k < labels; ++k) {
    if (!result.equilibria.empty() &&
        static_cast<double>(result.iterations) * pivot_work > kLemkeHowsonWork) {
      result.truncated = true;
      break;
    }
    const std::size_t label = (options.lemke_howson_label + k) % labels;
    const std::optional<Profile> profile =
        follow_path(game, label, kMaxPivotsPerPath, result.iterations);
    if (!profile) continue;
    if (internal::add_equilibrium(*profile, payoff_tolerance, deviations, result) &&
        !options.lemke_howson_all_labels) {
      break;
    }
  }
  if (result.equilibria.empty()) {
    return core::Status(core::ErrorCode::kInternal,
                        "Lemke-Howson found no equilibrium within the tolerance (rounding)");
  }
  internal::set_exploitability(result);
  return result;
}

}  // namespace tars::marl
