#include "tars/core/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tars/core/config_keys.h"

namespace tars::core {
namespace {

using ::testing::ElementsAre;

const std::regex kTimestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");

class LogTest : public ::testing::Test {
 protected:
  void TearDown() override { configure_logging(LogLevel::kInfo, LogFormat::kText); }

  std::vector<std::string> lines() const {
    std::vector<std::string> result;
    std::istringstream in(out_.str());
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
  }

  std::vector<nlohmann::json> json_lines() const {
    std::vector<nlohmann::json> result;
    for (const std::string& line : lines()) result.push_back(nlohmann::json::parse(line));
    return result;
  }

  std::ostringstream out_;
};

TEST_F(LogTest, JsonLineHasTimestampLevelLoggerAndMessage) {
  configure_logging(LogLevel::kInfo, LogFormat::kJson, out_);
  log_info("agent {} reached reward {:.1f}", "policy", 195.04);
  Logger("http").warn("slow request");

  std::vector<nlohmann::json> records = json_lines();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].size(), 4u);
  EXPECT_TRUE(std::regex_match(records[0]["ts"].get<std::string>(), kTimestamp)) << records[0];
  EXPECT_EQ(records[0]["level"], "info");
  EXPECT_EQ(records[0]["logger"], "tars");
  EXPECT_EQ(records[0]["msg"], "agent policy reached reward 195.0");
  EXPECT_EQ(records[1]["level"], "warn");
  EXPECT_EQ(records[1]["logger"], "http");
  EXPECT_EQ(records[1]["msg"], "slow request");
}

TEST_F(LogTest, JsonEscapesEverythingThatNeedsIt) {
  configure_logging(LogLevel::kInfo, LogFormat::kJson, out_);
  const std::string nasty =
      "quote \" backslash \\ newline \n cr \r tab \t bell \x07 nul-free \x01\x1f del \x7f "
      "braces {} unicode \xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x9a\x80 end\\";
  log_error("{}", nasty);
  Logger("we\"ird\nname").info("x");

  std::vector<std::string> raw = lines();
  ASSERT_EQ(raw.size(), 2u);  // the newline in the message did not split the line
  std::vector<nlohmann::json> records = json_lines();
  EXPECT_EQ(records[0]["msg"], nasty);
  EXPECT_EQ(records[0]["level"], "error");
  EXPECT_EQ(records[1]["logger"], "we\"ird\nname");
}

TEST_F(LogTest, IllFormedUtf8BecomesReplacementCharacter) {
  configure_logging(LogLevel::kInfo, LogFormat::kJson, out_);
  // Lone continuation byte, truncated sequence, overlong encoding, UTF-16 surrogate.
  log_info("{}", std::string("a\x80"
                             "b\xe6\x97"
                             "c\xc0\xaf"
                             "d\xed\xa0\x80"
                             "e"));
  std::vector<nlohmann::json> records = json_lines();
  ASSERT_EQ(records.size(), 1u);
  const std::string r = "\xef\xbf\xbd";  // U+FFFD
  EXPECT_EQ(records[0]["msg"], "a" + r + "b" + r + r + "c" + r + r + "d" + r + r + r + "e");
}

TEST_F(LogTest, LevelFiltersLessSevereMessages) {
  Logger early("early");  // created before configuring: must follow the new level too
  configure_logging(LogLevel::kWarn, LogFormat::kJson, out_);
  log_trace("t");
  log_debug("d");
  log_info("i");
  log_warn("w");
  log_error("e");
  early.info("early info");
  early.error("early error");

  std::vector<std::string> levels;
  std::vector<std::string> messages;
  for (const nlohmann::json& record : json_lines()) {
    levels.push_back(record["level"]);
    messages.push_back(record["msg"]);
  }
  EXPECT_THAT(levels, ElementsAre("warn", "error", "error"));
  EXPECT_THAT(messages, ElementsAre("w", "e", "early error"));
  EXPECT_FALSE(default_logger().enabled(LogLevel::kInfo));
  EXPECT_TRUE(default_logger().enabled(LogLevel::kWarn));
}

TEST_F(LogTest, TraceLevelLetsEverythingThrough) {
  configure_logging(LogLevel::kTrace, LogFormat::kJson, out_);
  Logger logger("eval");
  logger.trace("1");
  logger.debug("2");
  logger.info("3");
  logger.warn("4");
  logger.error("5");
  std::vector<std::string> levels;
  for (const nlohmann::json& record : json_lines()) levels.push_back(record["level"]);
  EXPECT_THAT(levels, ElementsAre("trace", "debug", "info", "warn", "error"));
}

TEST_F(LogTest, TextFormatIsTimestampLevelMessage) {
  configure_logging(LogLevel::kDebug, LogFormat::kText, out_);
  log_debug("hello {}", 42);
  Logger("store").error("disk full");
  std::vector<std::string> raw = lines();
  ASSERT_EQ(raw.size(), 2u);
  const std::string ts = R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)";
  EXPECT_TRUE(std::regex_match(raw[0], std::regex(ts + " debug hello 42"))) << raw[0];
  EXPECT_TRUE(std::regex_match(raw[1], std::regex(ts + R"( error \[store\] disk full)"))) << raw[1];
}

TEST_F(LogTest, TimestampIsCurrentUtcTime) {
  const char* old_tz = getenv("TZ");
  std::optional<std::string> saved = old_tz ? std::optional<std::string>(old_tz) : std::nullopt;
  setenv("TZ", "America/New_York", 1);
  tzset();
  configure_logging(LogLevel::kInfo, LogFormat::kJson, out_);
  auto before = std::chrono::system_clock::now();
  log_info("now");
  auto after = std::chrono::system_clock::now();
  if (saved) {
    setenv("TZ", saved->c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();

  std::string ts = json_lines().at(0)["ts"];
  std::tm tm{};
  int millis = 0;
  ASSERT_EQ(std::sscanf(ts.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis),
            7);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  auto logged =
      std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(millis);
  EXPECT_GE(logged, std::chrono::floor<std::chrono::milliseconds>(before));
  EXPECT_LE(logged, after);
}

TEST_F(LogTest, ConcurrentLinesStayWhole) {
  configure_logging(LogLevel::kInfo, LogFormat::kJson, out_);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      Logger logger("worker" + std::to_string(t));
      for (int i = 0; i < kPerThread; ++i) logger.info("message {} from {} with \"quotes\"", i, t);
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<nlohmann::json> records = json_lines();
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (const nlohmann::json& record : records) {
    EXPECT_EQ(record["logger"].get<std::string>().rfind("worker", 0), 0u);
  }
}

TEST_F(LogTest, ParsesEveryConfiguredLevelAndFormat) {
  for (const ConfigKey& key : core_config_keys()) {
    for (const std::string& value : key.allowed) {
      if (key.name == kLogLevelKey) {
        Expected<LogLevel> level = parse_log_level(value);
        ASSERT_TRUE(level.ok()) << value;
        EXPECT_EQ(log_level_name(*level), value);
      } else if (key.name == kLogFormatKey) {
        EXPECT_TRUE(parse_log_format(value).ok()) << value;
      }
    }
  }
  EXPECT_EQ(*parse_log_format("json"), LogFormat::kJson);
  EXPECT_EQ(*parse_log_format("text"), LogFormat::kText);
  EXPECT_EQ(parse_log_level("loud").status().message(),
            "log level: expected one of trace, debug, info, warn, error, got 'loud'");
  EXPECT_EQ(parse_log_format("xml").status().message(),
            "log format: expected one of text, json, got 'xml'");
}

}  // namespace
}  // namespace tars::core
