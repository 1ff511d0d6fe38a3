// Finite-difference gradient checks for the nn tests (double precision).
#pragma once

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <string>

#include "tars/core/rng.h"

namespace tars::nn::testing {

// A rows x cols matrix of N(0, scale^2) draws from `generator`.
inline Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols,
                                     core::Generator& generator, double scale = 1.0) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = scale * generator.standard_normal();
  return m;
}

// Central differences of the scalar `f()` with respect to each entry of `x`, which is perturbed
// in place and restored.
template <typename F, typename Derived>
Eigen::MatrixXd numeric_gradient(F&& f, Eigen::MatrixBase<Derived>& x, double h = 1e-6) {
  Eigen::MatrixXd grad(x.rows(), x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double saved = x(i, j);
      x(i, j) = saved + h;
      const double plus = f();
      x(i, j) = saved - h;
      const double minus = f();
      x(i, j) = saved;
      grad(i, j) = (plus - minus) / (2 * h);
    }
  }
  return grad;
}

// Every entry agrees to `tolerance` relative to max(1, |analytic|).
template <typename A, typename B>
void expect_gradient_near(const Eigen::MatrixBase<A>& analytic, const Eigen::MatrixBase<B>& numeric,
                          const std::string& what, double tolerance = 1e-6) {
  ASSERT_EQ(analytic.rows(), numeric.rows()) << what;
  ASSERT_EQ(analytic.cols(), numeric.cols()) << what;
  double worst = 0;
  for (Eigen::Index j = 0; j < analytic.cols(); ++j) {
    for (Eigen::Index i = 0; i < analytic.rows(); ++i) {
      const double a = analytic(i, j);
      const double n = numeric(i, j);
      worst = std::max(worst, std::abs(a - n) / std::max(1.0, std::abs(a)));
    }
  }
  EXPECT_LT(worst, tolerance) << what << "\nanalytic:\n" << analytic << "\nnumeric:\n" << numeric;
  // A check against an all-zero gradient proves nothing.
  EXPECT_GT(numeric.cwiseAbs().maxCoeff(), 1e-3) << what << ": gradient is trivially zero";
}

}  // namespace tars::nn::testing
