// Games and checks shared by the marl tests. The equilibrium check is written out here, apart
// from the library's own DeviationPayoffs, so that a bug there cannot hide itself.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "tars/core/rng.h"
#include "tars/marl/game.h"
#include "tars/marl/profile.h"

namespace tars::marl::testing {

using Matrix = std::vector<std::vector<double>>;

inline NormalFormGame bimatrix(const Matrix& row, const Matrix& column) {
  auto game = NormalFormGame::bimatrix(row, column);
  EXPECT_TRUE(game.ok()) << game.status().message();
  return std::move(game).value();
}

// An m x n game with standard normal payoffs (nondegenerate with probability 1) or, when
// `integer`, payoffs drawn from {-2, ..., 2} (often degenerate: ties, duplicated rows).
inline NormalFormGame random_bimatrix(core::Generator& generator, std::size_t m, std::size_t n,
                                      bool integer) {
  std::vector<std::vector<double>> payoffs(2, std::vector<double>(m * n));
  for (std::vector<double>& tensor : payoffs) {
    for (double& payoff : tensor) {
      payoff =
          integer ? static_cast<double>(generator.integers(-2, 3)) : generator.standard_normal();
    }
  }
  auto game = NormalFormGame::create({m, n}, std::move(payoffs));
  EXPECT_TRUE(game.ok());
  return std::move(game).value();
}

// Probabilities >= 0 summing to 1 within 1e-12, and no pure deviation of either player gaining
// more than `tolerance`.
inline ::testing::AssertionResult is_bimatrix_equilibrium(const NormalFormGame& game,
                                                          const Profile& profile,
                                                          double tolerance = 1e-9) {
  const std::size_t m = game.actions(0);
  const std::size_t n = game.actions(1);
  if (profile.size() != 2 || profile[0].size() != m || profile[1].size() != n) {
    return ::testing::AssertionFailure() << "wrong shape";
  }
  for (const std::vector<double>& strategy : profile) {
    double sum = 0.0;
    for (double probability : strategy) {
      if (!(probability >= 0.0)) return ::testing::AssertionFailure() << "negative probability";
      sum += probability;
    }
    if (std::abs(sum - 1.0) > 1e-12) return ::testing::AssertionFailure() << "sum " << sum;
  }
  const std::vector<double>& x = profile[0];
  const std::vector<double>& y = profile[1];
  std::vector<double> row_values(m, 0.0), column_values(n, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      row_values[i] += game.payoffs(0)[i * n + j] * y[j];
      column_values[j] += game.payoffs(1)[i * n + j] * x[i];
    }
  }
  double row_expected = 0.0, column_expected = 0.0, row_best = row_values[0],
         column_best = column_values[0];
  for (std::size_t i = 0; i < m; ++i) {
    row_expected += x[i] * row_values[i];
    row_best = std::max(row_best, row_values[i]);
  }
  for (std::size_t j = 0; j < n; ++j) {
    column_expected += y[j] * column_values[j];
    column_best = std::max(column_best, column_values[j]);
  }
  if (row_best - row_expected > tolerance || column_best - column_expected > tolerance) {
    return ::testing::AssertionFailure() << "deviation gains " << row_best - row_expected << ", "
                                         << column_best - column_expected;
  }
  return ::testing::AssertionSuccess();
}

// Whether `profiles` holds one within `tolerance` of `expected` (every probability).
inline bool contains_profile(const std::vector<Profile>& profiles, const Profile& expected,
                             double tolerance = 1e-9) {
  for (const Profile& profile : profiles) {
    bool same = profile.size() == expected.size();
    for (std::size_t p = 0; same && p < profile.size(); ++p) {
      same = profile[p].size() == expected[p].size();
      for (std::size_t a = 0; same && a < profile[p].size(); ++a) {
        same = std::abs(profile[p][a] - expected[p][a]) <= tolerance;
      }
    }
    if (same) return true;
  }
  return false;
}

inline const Matrix kMatchingPennies = {{1, -1}, {-1, 1}};
inline const Matrix kMatchingPenniesColumn = {{-1, 1}, {1, -1}};
inline const Matrix kRockPaperScissors = {{0, -1, 1}, {1, 0, -1}, {-1, 1, 0}};
inline const Matrix kRockPaperScissorsColumn = {{0, 1, -1}, {-1, 0, 1}, {1, -1, 0}};
// Row: opera (0) or football (1); the row player prefers opera, the column player football.
inline const Matrix kBattleRow = {{3, 0}, {0, 2}};
inline const Matrix kBattleColumn = {{2, 0}, {0, 3}};
// Cooperate (0) or defect (1).
inline const Matrix kPrisonerRow = {{-1, -3}, {0, -2}};
inline const Matrix kPrisonerColumn = {{-1, 0}, {-3, -2}};

}  // namespace tars::marl::testing
