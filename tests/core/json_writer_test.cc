// JsonWriter: structure and commas, escaping, UTF-8 repair, and number text that reads back
// exactly (nlohmann parses every output to check it is JSON).
#include "tars/core/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace tars::core {
namespace {

std::string number_text(double value) {
  std::string out;
  JsonWriter(out).value(value);
  return out;
}

TEST(JsonWriterTest, NestsObjectsAndArraysWithCommasInPlace) {
  std::string out;
  JsonWriter writer(out);
  writer.begin_object();
  writer.key("a").begin_array().value(1).value(true).null().begin_object().end_object().end_array();
  writer.key("b").value("x");
  writer.key("c").raw(R"({"k":[1,2]})");
  writer.key("d").value(std::optional<double>());
  writer.key("e").value(std::optional<std::int64_t>(5));
  writer.key("f").begin_array().end_array();
  writer.end_object();
  EXPECT_EQ(out, R"({"a":[1,true,null,{}],"b":"x","c":{"k":[1,2]},"d":null,"e":5,"f":[]})");
  EXPECT_TRUE(nlohmann::json::accept(out));
}

TEST(JsonWriterTest, EscapesWhatJsonRequires) {
  std::string out;
  append_json_string(out, std::string("q\" b\\ n\n t\t r\r f\f b\b nul") + '\0' + "\x1f end");
  EXPECT_EQ(out, R"("q\" b\\ n\n t\t r\r f\f b\b nul\u0000\u001f end")");
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(),
            std::string("q\" b\\ n\n t\t r\r f\f b\b nul") + '\0' + "\x1f end");
}

TEST(JsonWriterTest, KeepsValidUtf8AndReplacesInvalidBytes) {
  std::string valid;
  append_json_string(valid, "é ✓ 😀");
  EXPECT_EQ(valid, "\"é ✓ 😀\"");
  std::string invalid;
  // A lone continuation byte, a truncated sequence, an overlong '/' and a UTF-16 surrogate.
  append_json_string(invalid, "a\x80 b\xE2\x9C c\xC0\xAF d\xED\xA0\x80");
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(nlohmann::json::parse(invalid).get<std::string>(),
            "a" + replacement + " b" + replacement + replacement + " c" + replacement +
                replacement + " d" + replacement + replacement + replacement);
}

TEST(JsonWriterTest, DoublesReadBackExactlyAndStayFloats) {
  EXPECT_EQ(number_text(1.0), "1.0");
  EXPECT_EQ(number_text(-0.5), "-0.5");
  EXPECT_EQ(number_text(0.1), "0.1");
  EXPECT_EQ(number_text(1e-5), "1e-05");
  EXPECT_EQ(number_text(1e20), "1e+20");
  EXPECT_EQ(number_text(std::nan("")), "null");
  EXPECT_EQ(number_text(std::numeric_limits<double>::infinity()), "null");
  for (const double value :
       {253.5759872273961, 1.0 / 3.0, -1e-300, 6.02214076e23, std::numeric_limits<double>::max()}) {
    const auto parsed = nlohmann::json::parse(number_text(value));
    EXPECT_TRUE(parsed.is_number_float()) << value;
    EXPECT_EQ(parsed.get<double>(), value);
  }
}

TEST(JsonWriterTest, IntegersAtTheirLimits) {
  std::string out;
  JsonWriter writer(out);
  writer.begin_array()
      .value(std::numeric_limits<std::int64_t>::min())
      .value(std::numeric_limits<std::uint64_t>::max())
      .end_array();
  EXPECT_EQ(out, "[-9223372036854775808,18446744073709551615]");
}

}  // namespace
}  // namespace tars::core
