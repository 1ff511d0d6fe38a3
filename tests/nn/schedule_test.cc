#include "tars/nn/schedule.h"

#include <gtest/gtest.h>

namespace tars::nn {
namespace {

TEST(ScheduleTest, ParsesConstant) {
  for (const char* text : {"0.001", "1e-3", "+0.001", "1.0e-03"}) {
    auto s = Schedule::parse(text);
    ASSERT_TRUE(s.ok()) << text;
    EXPECT_EQ(s->kind(), Schedule::Kind::kConstant);
    EXPECT_DOUBLE_EQ(s->value(1.0), 0.001);
    EXPECT_DOUBLE_EQ(s->value(0.0), 0.001);
  }
}

TEST(ScheduleTest, LinearDecaysWithProgressRemaining) {
  auto s = Schedule::parse("lin_0.001");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->kind(), Schedule::Kind::kLinear);
  EXPECT_DOUBLE_EQ(s->initial_value(), 0.001);
  EXPECT_DOUBLE_EQ(s->value(1.0), 0.001);
  EXPECT_DOUBLE_EQ(s->value(0.25), 0.00025);
  EXPECT_DOUBLE_EQ((*s)(0.0), 0.0);
  EXPECT_DOUBLE_EQ(s->value(-0.5), 0.0);  // clamped past the end of training
}

TEST(ScheduleTest, ProgressRemainingAsStableBaselines3) {
  EXPECT_DOUBLE_EQ(progress_remaining(0, 1000), 1.0);
  EXPECT_DOUBLE_EQ(progress_remaining(250, 1000), 0.75);
  EXPECT_DOUBLE_EQ(progress_remaining(1000, 1000), 0.0);
  EXPECT_DOUBLE_EQ(progress_remaining(2000, 1000), 0.0);
  // PPO clip range lin_0.2 a quarter of the way through: 0.15.
  EXPECT_DOUBLE_EQ(Schedule::linear(0.2).value(progress_remaining(250, 1000)), 0.2 * 0.75);
}

TEST(ScheduleTest, RejectsAnythingElseWithAClearMessage) {
  for (const char* text : {"", "lin_", "lin_x", "abc", "0.1x", "nan", "inf", "lin_nan",
                           "linear_0.1", " 0.1", "exp_0.1"}) {
    auto s = Schedule::parse(text);
    ASSERT_FALSE(s.ok()) << "'" << text << "'";
    const std::string message = s.status().message();
    EXPECT_NE(message.find(std::string("got '") + text + "'"), std::string::npos) << message;
    EXPECT_NE(message.find("lin_0.001"), std::string::npos) << message;
  }
}

TEST(ScheduleTest, TextRoundTrips) {
  for (const char* text : {"0.001", "lin_0.0003", "2.5e-05", "lin_7e-05", "1"}) {
    auto s = Schedule::parse(text);
    ASSERT_TRUE(s.ok()) << text;
    auto again = Schedule::parse(s->to_string());
    ASSERT_TRUE(again.ok()) << s->to_string();
    EXPECT_EQ(again->kind(), s->kind());
    EXPECT_EQ(again->initial_value(), s->initial_value());
  }
  EXPECT_EQ(Schedule::linear(0.001).to_string(), "lin_0.001");
  EXPECT_EQ(Schedule::constant(0.5).to_string(), "0.5");
}

}  // namespace
}  // namespace tars::nn
