#include "tars/core/time.h"

#include <gtest/gtest.h>

namespace tars::core {
namespace {

TEST(Time, FormatsWithMicroseconds) {
  EXPECT_EQ(format_iso8601(from_micros(0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_iso8601(from_micros(1767225600123456)), "2026-01-01T00:00:00.123456Z");
}

TEST(Time, ParsesDatesTimesFractionsAndOffsets) {
  EXPECT_EQ(to_micros(parse_iso8601("2026-01-01").value()), 1767225600000000);
  EXPECT_EQ(to_micros(parse_iso8601("2026-01-01T00:00:00Z").value()), 1767225600000000);
  EXPECT_EQ(to_micros(parse_iso8601("2026-01-01T00:00:00.5Z").value()), 1767225600500000);
  EXPECT_EQ(to_micros(parse_iso8601("2026-01-01T02:00:00+02:00").value()), 1767225600000000);
  EXPECT_EQ(to_micros(parse_iso8601("2025-12-31T22:00:00-02:00").value()), 1767225600000000);
}

TEST(Time, RoundTrips) {
  const auto t = from_micros(1767225600123456);
  EXPECT_EQ(parse_iso8601(format_iso8601(t)).value(), t);
}

TEST(Time, RejectsMalformedTextNamingIt) {
  for (const char* bad : {"", "2026", "2026-13-01", "2026-02-30", "2026-01-01T25:00:00Z",
                          "2026-01-01T00:00:00", "2026-01-01T00:00:00Zjunk", "yesterday"}) {
    const auto parsed = parse_iso8601(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find("not an ISO-8601 time"), std::string::npos);
  }
}

}  // namespace
}  // namespace tars::core
