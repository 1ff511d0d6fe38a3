#include "tars/core/python_float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace tars::core {
namespace {

// Expected strings are what CPython 3.11 prints for repr(x).
TEST(PythonFloatTest, MatchesCPythonRepr) {
  EXPECT_EQ(python_float(1.0), "1.0");
  EXPECT_EQ(python_float(0.0), "0.0");
  EXPECT_EQ(python_float(-0.0), "-0.0");
  EXPECT_EQ(python_float(-100.0), "-100.0");
  EXPECT_EQ(python_float(0.1), "0.1");
  EXPECT_EQ(python_float(0.0001), "0.0001");
  EXPECT_EQ(python_float(0.00015), "0.00015");
  EXPECT_EQ(python_float(1e-05), "1e-05");
  EXPECT_EQ(python_float(-2.5868453979492188e-05), "-2.586845397949219e-05");
  EXPECT_EQ(python_float(1e16), "1e+16");
  EXPECT_EQ(python_float(1.5e300), "1.5e+300");
  EXPECT_EQ(python_float(123456789012345.0), "123456789012345.0");
  EXPECT_EQ(python_float(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(python_float(-0.7639941062559507), "-0.7639941062559507");
  EXPECT_EQ(python_float(static_cast<double>(0.013696168549358845f)), "0.013696168549358845");
}

TEST(PythonFloatTest, NonFiniteAsJsonDumps) {
  EXPECT_EQ(python_float(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(python_float(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(python_float(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(PythonFloatTest, RoundTrips) {
  for (double value : {3.141592653589793, -1.0992279298227459, 5e-324, 1.7976931348623157e308}) {
    EXPECT_EQ(std::strtod(python_float(value).c_str(), nullptr), value) << value;
  }
}

}  // namespace
}  // namespace tars::core
