// Logging on spdlog: human-readable text or one JSON object per line, on stderr.
// spdlog stays behind this header; messages are formatted with fmt.
#pragma once

#include <fmt/format.h>

#include <iosfwd>
#include <string_view>
#include <utility>

#include "tars/core/status.h"

namespace spdlog {
class logger;
}  // namespace spdlog

namespace tars::core {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };
enum class LogFormat { kText, kJson };

// "trace", "debug", "info", "warn", "error": the values of the log_level config key.
const char* log_level_name(LogLevel level);
Expected<LogLevel> parse_log_level(std::string_view name);
// "text" or "json": the values of the log_format config key.
Expected<LogFormat> parse_log_format(std::string_view name);

// Sets the level and format of every logger and sends their output to stderr. May be called again
// at any time; until the first call, loggers write text at level info.
void configure_logging(LogLevel level, LogFormat format);
// The same, writing to `out`, which must stay alive until logging is configured again.
void configure_logging(LogLevel level, LogFormat format, std::ostream& out);

// A named logger ("http", "eval", ...). Cheap to copy; all loggers share level, format and output.
class Logger {
 public:
  // The logger with this name, created on first use and kept until the process exits.
  explicit Logger(std::string_view name);

  bool enabled(LogLevel level) const;
  void write(LogLevel level, std::string_view message) const;

  template <typename... Args>
  void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) const {
    if (enabled(level)) write(level, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void trace(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::kTrace, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void debug(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::kDebug, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void info(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::kInfo, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void warn(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::kWarn, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void error(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::kError, format, std::forward<Args>(args)...);
  }

 private:
  spdlog::logger* impl_;  // owned by the registry in log.cc
};

// The logger named "tars", used by the log_* functions.
const Logger& default_logger();

template <typename... Args>
void log_trace(fmt::format_string<Args...> format, Args&&... args) {
  default_logger().trace(format, std::forward<Args>(args)...);
}
template <typename... Args>
void log_debug(fmt::format_string<Args...> format, Args&&... args) {
  default_logger().debug(format, std::forward<Args>(args)...);
}
template <typename... Args>
void log_info(fmt::format_string<Args...> format, Args&&... args) {
  default_logger().info(format, std::forward<Args>(args)...);
}
template <typename... Args>
void log_warn(fmt::format_string<Args...> format, Args&&... args) {
  default_logger().warn(format, std::forward<Args>(args)...);
}
template <typename... Args>
void log_error(fmt::format_string<Args...> format, Args&&... args) {
  default_logger().error(format, std::forward<Args>(args)...);
}

}  // namespace tars::core
