#include "tars/obs/text_format.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <limits>
#include <vector>

namespace tars::obs {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(TextFormatTest, ContentTypeIsVersion004) {
  EXPECT_EQ(kContentType, "text/plain; version=0.0.4; charset=utf-8");
}

// Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) writes.
TEST(TextFormatTest, FormatsValuesAsTheGoClient) {
  EXPECT_EQ(format_value(0.0), "0");
  EXPECT_EQ(format_value(-0.0), "0");
  EXPECT_EQ(format_value(1.0), "1");
  EXPECT_EQ(format_value(-1.0), "-1");
  EXPECT_EQ(format_value(-2.5), "-2.5");
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_value(0.0005), "0.0005");
  EXPECT_EQ(format_value(0.0001), "0.0001");
  EXPECT_EQ(format_value(0.00001), "1e-05");
  EXPECT_EQ(format_value(123456.0), "123456");
  EXPECT_EQ(format_value(100000.5), "100000.5");
  EXPECT_EQ(format_value(1e6), "1e+06");
  EXPECT_EQ(format_value(1234567.0), "1.234567e+06");
  EXPECT_EQ(format_value(1.5e300), "1.5e+300");
  EXPECT_EQ(format_value(DBL_MAX), "1.7976931348623157e+308");
  EXPECT_EQ(format_value(std::numeric_limits<double>::denorm_min()), "5e-324");
}

TEST(TextFormatTest, FormatsNonFiniteValuesAsPrometheusSpellsThem) {
  EXPECT_EQ(format_value(kInf), "+Inf");
  EXPECT_EQ(format_value(-kInf), "-Inf");
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(TextFormatTest, FormattedValuesReadBackExactly) {
  for (const double value : {0.1, 1.0 / 3.0, 2.0 / 3.0 * 1e-7, 98765.4321, 6.02214076e23}) {
    EXPECT_EQ(std::stod(format_value(value)), value);
  }
}

TEST(TextFormatTest, WritesMetadataWithEscapedHelp) {
  std::string out;
  write_metadata(out, "x_total", "C:\\temp \"quoted\"\nsecond line", "counter");
  EXPECT_EQ(out,
            "# HELP x_total C:\\\\temp \"quoted\"\\nsecond line\n"
            "# TYPE x_total counter\n");
}

TEST(TextFormatTest, WritesSampleWithoutLabels) {
  std::string out;
  write_sample(out, "up", {}, "1");
  EXPECT_EQ(out, "up 1\n");
}

TEST(TextFormatTest, WritesSampleWithEscapedLabelValues) {
  std::string out;
  const std::vector<Label> labels = {{.name = "path", .value = "C:\\dir \"x\"\nend"},
                                     {.name = "code", .value = "200"}};
  write_sample(out, "requests_total", labels, "3");
  EXPECT_EQ(out, "requests_total{path=\"C:\\\\dir \\\"x\\\"\\nend\",code=\"200\"} 3\n");
}

}  // namespace
}  // namespace tars::obs
