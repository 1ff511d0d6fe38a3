// The Python / NumPy scalar semantics shared by the classic-control environments.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <numbers>

#include "tars/core/rng.h"
#include "tars/env/classic/math.h"

namespace tars::env::classic {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(PythonModTest, TakesTheSignOfTheDivisorAsPython) {
  // Values Python prints for a % b.
  EXPECT_EQ(python_mod(-1.0, 3.0), 2.0);
  EXPECT_EQ(python_mod(1.0, -3.0), -2.0);
  EXPECT_EQ(python_mod(5.5, 2.0), 1.5);
  EXPECT_EQ(python_mod(-5.5, 2.0), 0.5);
  EXPECT_TRUE(std::signbit(python_mod(0.0, -3.0)));   // 0.0 % -3.0 == -0.0
  EXPECT_FALSE(std::signbit(python_mod(-3.0, 3.0)));  // -3.0 % 3.0 == 0.0
  // Pendulum's angle_normalize of -pi: (-pi + pi) % 2pi - pi == -pi.
  constexpr double kPi = std::numbers::pi;
  EXPECT_EQ(python_mod(-kPi + kPi, 2 * kPi) - kPi, -kPi);
  EXPECT_EQ(python_mod(7.0, 2 * kPi), 7.0 - 2 * kPi);
}

TEST(WrapTest, ShiftsByWholePeriods) {
  constexpr double kPi = std::numbers::pi;
  EXPECT_EQ(wrap(1.0, -kPi, kPi), 1.0);
  EXPECT_EQ(wrap(kPi, -kPi, kPi), kPi);  // the bounds are inside
  EXPECT_EQ(wrap(4.0, -kPi, kPi), 4.0 - 2 * kPi);
  EXPECT_EQ(wrap(-4.0, -kPi, kPi), -4.0 + 2 * kPi);
  EXPECT_EQ(wrap(15.0, -kPi, kPi), 15.0 - 2 * kPi - 2 * kPi);
}

TEST(ClipTest, BoundsBothSides) {
  EXPECT_EQ(clip(0.5, -1.0, 1.0), 0.5);
  EXPECT_EQ(clip(-3.0, -1.0, 1.0), -1.0);
  EXPECT_EQ(clip(3.0, -1.0, 1.0), 1.0);
}

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

TEST(PythonSquareTest, EqualsLibmPowBitForBit) {
  core::Generator rng(2024);
  int differs_from_product = 0;
  for (int scale = -40; scale <= 40; scale += 4) {
    const double range = std::ldexp(1.0, scale);
    for (int i = 0; i < 20000; ++i) {
      const double x = rng.uniform(-range, range);
      ASSERT_EQ(bits(python_square(x)), bits(libm_square(x))) << x;
      differs_from_product += libm_square(x) != x * x;
    }
  }
  // The shortcut matters: pow does round some products differently.
  EXPECT_GT(differs_from_product, 0);
}

TEST(PythonSquareTest, EdgeCases) {
  // Around exact powers of two, where the neighbour below is half an ulp away.
  for (int e = -30; e <= 30; ++e) {
    double x = std::sqrt(std::ldexp(1.0, e));
    for (int k = 0; k < 64; ++k) {
      for (double y : {x, -x}) ASSERT_EQ(bits(python_square(y)), bits(libm_square(y))) << y;
      x = std::nextafter(x, 0.0);
    }
  }
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (double x : {0.0, -0.0, 1e-170, 1e-200, 1e200, 1.0, -3.0, kInf, -kInf}) {
    EXPECT_EQ(bits(python_square(x)), bits(libm_square(x))) << x;
  }
  EXPECT_TRUE(std::isnan(python_square(std::numeric_limits<double>::quiet_NaN())));
}

TEST(ResetBoundsTest, DefaultsAndOverrides) {
  auto defaults = reset_bounds({}, "Env-v0", -0.05, 0.05);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->first, -0.05);
  EXPECT_EQ(defaults->second, 0.05);

  auto low_only = reset_bounds({{"low", -0.01}}, "Env-v0", -0.05, 0.05);
  ASSERT_TRUE(low_only.ok());
  EXPECT_EQ(low_only->first, -0.01);
  EXPECT_EQ(low_only->second, 0.05);

  auto equal = reset_bounds({{"low", 0.3}, {"high", 0.3}}, "Env-v0", -0.05, 0.05);
  ASSERT_TRUE(equal.ok());
  EXPECT_EQ(equal->first, 0.3);
}

TEST(ResetBoundsTest, Errors) {
  auto inverted = reset_bounds({{"low", 1.0}, {"high", -1.0}}, "Env-v0", 0.0, 0.0);
  ASSERT_FALSE(inverted.ok());
  EXPECT_THAT(inverted.status().message(),
              AllOf(HasSubstr("Env-v0"), HasSubstr("low (1)"), HasSubstr("high (-1)")));

  auto unknown = reset_bounds({{"hgh", 1.0}}, "Env-v0", 0.0, 0.0);
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown reset option 'hgh'"));

  auto nan = reset_bounds({{"low", std::nan("")}}, "Env-v0", 0.0, 0.0);
  ASSERT_FALSE(nan.ok());
  EXPECT_THAT(nan.status().message(), AllOf(HasSubstr("'low'"), HasSubstr("finite")));
}

}  // namespace
}  // namespace tars::env::classic
