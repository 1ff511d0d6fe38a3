#include "tars/env/kwargs_json.h"

#include <gtest/gtest.h>

namespace tars::env {
namespace {

TEST(KwargsJsonTest, ParsesScalars) {
  auto kwargs = parse_kwargs(R"({"continuous": true, "gravity": -9.5, "mode": "x"})");
  ASSERT_TRUE(kwargs.ok()) << kwargs.status().to_string();
  EXPECT_EQ(std::get<bool>(kwargs->at("continuous")), true);
  EXPECT_EQ(std::get<double>(kwargs->at("gravity")), -9.5);
  EXPECT_EQ(std::get<std::string>(kwargs->at("mode")), "x");
  EXPECT_EQ(kwargs_to_json(*kwargs), R"({"continuous":true,"gravity":-9.5,"mode":"x"})");
}

TEST(KwargsJsonTest, RejectsMalformedInputNamingTheProblem) {
  EXPECT_NE(parse_kwargs("{continuous: true").status().message().find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(parse_kwargs("[1, 2]").status().message().find("JSON object"), std::string::npos);
  EXPECT_NE(parse_kwargs(R"({"wind": [1]})").status().message().find("'wind'"), std::string::npos);
}

}  // namespace
}  // namespace tars::env
