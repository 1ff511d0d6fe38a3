#include "tars/obs/names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tars::obs {
namespace {

using ::testing::HasSubstr;

TEST(NamesTest, AcceptsPrometheusMetricNames) {
  for (const char* name : {"http_requests_total", "a", "_x", ":rule:name", "a1:b_2", "Z9"}) {
    EXPECT_TRUE(check_metric_name(name).ok()) << name;
  }
}

TEST(NamesTest, RejectsInvalidMetricNamesNamingThePattern) {
  for (const char* name : {"", "1abc", "http-requests", "a b", "caf\xc3\xa9", "a.b"}) {
    const core::Status status = check_metric_name(name);
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_EQ(status.code(), core::ErrorCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr(std::string("'") + name + "'"));
    EXPECT_THAT(status.message(), HasSubstr("[a-zA-Z_:][a-zA-Z0-9_:]*"));
  }
}

TEST(NamesTest, AcceptsPrometheusLabelNames) {
  for (const char* name : {"method", "_x", "a1", "Route_2", "_"}) {
    EXPECT_TRUE(check_label_name(name).ok()) << name;
  }
}

TEST(NamesTest, RejectsInvalidLabelNames) {
  for (const char* name : {"", "1a", "a:b", "a-b"}) {
    const core::Status status = check_label_name(name);
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_THAT(status.message(), HasSubstr("[a-zA-Z_][a-zA-Z0-9_]*"));
  }
}

TEST(NamesTest, RejectsReservedLabelNames) {
  const core::Status status = check_label_name("__name__");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(),
            "invalid label name '__name__': names starting with '__' are reserved");
}

TEST(NamesTest, AcceptsWellFormedUtf8) {
  for (const char* text : {"", "abc", "h\xc3\xa9llo", "\xe6\x97\xa5\xe6\x9c\xac",
                           "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf"}) {
    EXPECT_TRUE(is_valid_utf8(text)) << text;
  }
}

TEST(NamesTest, RejectsMalformedUtf8) {
  for (const char* text : {
           "\xff",              // never valid
           "\x80",              // continuation without a lead byte
           "\xc0\xaf",          // overlong '/'
           "\xe0\x80\xaf",      // overlong '/' in three bytes
           "\xed\xa0\x80",      // UTF-16 surrogate
           "\xf4\x90\x80\x80",  // above U+10FFFF
           "a\xe6\x97",         // truncated sequence
           "\xc3("              // lead byte followed by a non-continuation
       }) {
    EXPECT_FALSE(is_valid_utf8(text)) << text;
  }
}

}  // namespace
}  // namespace tars::obs
