#include "tars/core/log.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>

namespace tars::core {
namespace {

constexpr std::string_view kDefaultLoggerName = "tars";
constexpr LogLevel kAllLevels[] = {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo,
                                   LogLevel::kWarn, LogLevel::kError};

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return spdlog::level::trace;
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::string_view level_text(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    default:
      return "critical";
  }
}

void append(std::string_view text, spdlog::memory_buf_t& dest) {
  dest.append(text.data(), text.data() + text.size());
}

// 2026-11-29T18:00:00.123Z
void append_timestamp(std::chrono::system_clock::time_point time, spdlog::memory_buf_t& dest) {
  auto ms = std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  auto millis = ms - static_cast<decltype(ms)>(seconds) * 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  fmt::format_to(std::back_inserter(dest), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 millis);
}

// Length of the well-formed UTF-8 sequence starting at text[i] (RFC 3629), 0 if ill-formed.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// A quoted JSON string; ill-formed UTF-8 becomes U+FFFD so that every line stays valid JSON.
void append_json_string(std::string_view text, spdlog::memory_buf_t& dest) {
  dest.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t length = utf8_length(text, i);
      if (length == 0) {
        append("\\ufffd", dest);
        ++i;
      } else {
        append(text.substr(i, length), dest);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        append("\\\"", dest);
        break;
      case '\\':
        append("\\\\", dest);
        break;
      case '\n':
        append("\\n", dest);
        break;
      case '\r':
        append("\\r", dest);
        break;
      case '\t':
        append("\\t", dest);
        break;
      case '\b':
        append("\\b", dest);
        break;
      case '\f':
        append("\\f", dest);
        break;
      default:
        if (c < 0x20) {
          fmt::format_to(std::back_inserter(dest), "\\u{:04x}", c);
        } else {
          dest.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  dest.push_back('"');
}

std::string_view payload(const spdlog::details::log_msg& msg) {
  return {msg.payload.data(), msg.payload.size()};
}

std::string_view logger_name(const spdlog::details::log_msg& msg) {
  return {msg.logger_name.data(), msg.logger_name.size()};
}

// 2026-11-29T18:00:00.123Z info message; other loggers than "tars" add "[name]".
class TextFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    append_timestamp(msg.time, dest);
    dest.push_back(' ');
    append(level_text(msg.level), dest);
    dest.push_back(' ');
    if (logger_name(msg) != kDefaultLoggerName) {
      dest.push_back('[');
      append(logger_name(msg), dest);
      append("] ", dest);
    }
    append(payload(msg), dest);
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextFormatter>();
  }
};

// {"ts":"2026-11-29T18:00:00.123Z","level":"info","logger":"tars","msg":"message"}
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    append("{\"ts\":\"", dest);
    append_timestamp(msg.time, dest);
    append("\",\"level\":\"", dest);
    append(level_text(msg.level), dest);
    append("\",\"logger\":", dest);
    append_json_string(logger_name(msg), dest);
    append(",\"msg\":", dest);
    append_json_string(payload(msg), dest);
    append("}\n", dest);
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

// The one sink of every logger, so that reconfiguring retargets all loggers at once.
class OutputSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // out == nullptr: stderr.
  void retarget(LogFormat format, std::ostream* out) {
    std::lock_guard lock(mutex_);
    if (format == LogFormat::kJson) {
      formatter_ = std::make_unique<JsonFormatter>();
    } else {
      formatter_ = std::make_unique<TextFormatter>();
    }
    out_ = out;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    if (out_) {
      out_->write(line.data(), static_cast<std::streamsize>(line.size()));
      out_->flush();
    } else {
      std::fwrite(line.data(), 1, line.size(), stderr);
      std::fflush(stderr);
    }
  }
  void flush_() override {
    if (out_) {
      out_->flush();
    } else {
      std::fflush(stderr);
    }
  }

 private:
  std::ostream* out_ = nullptr;
};

struct Registry {
  std::mutex mutex;
  std::shared_ptr<OutputSink> sink;
  LogLevel level = LogLevel::kInfo;
  std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
};

// Never destroyed, so that logging keeps working while other statics are torn down.
Registry& registry() {
  static Registry* instance = [] {
    auto* r = new Registry();
    r->sink = std::make_shared<OutputSink>();
    r->sink->retarget(LogFormat::kText, nullptr);
    return r;
  }();
  return *instance;
}

void configure(LogLevel level, LogFormat format, std::ostream* out) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.level = level;
  r.sink->retarget(format, out);
  for (auto& [name, logger] : r.loggers) logger->set_level(to_spdlog(level));
}

}  // namespace

const char* log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

Expected<LogLevel> parse_log_level(std::string_view name) {
  for (LogLevel level : kAllLevels) {
    if (name == log_level_name(level)) return level;
  }
  return invalid_argument(
      fmt::format("log level: expected one of trace, debug, info, warn, error, got '{}'", name));
}

Expected<LogFormat> parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return invalid_argument(fmt::format("log format: expected one of text, json, got '{}'", name));
}

void configure_logging(LogLevel level, LogFormat format) { configure(level, format, nullptr); }

void configure_logging(LogLevel level, LogFormat format, std::ostream& out) {
  configure(level, format, &out);
}

Logger::Logger(std::string_view name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.loggers.find(name);
  if (it == r.loggers.end()) {
    auto logger = std::make_shared<spdlog::logger>(std::string(name), r.sink);
    logger->set_level(to_spdlog(r.level));
    it = r.loggers.emplace(std::string(name), std::move(logger)).first;
  }
  impl_ = it->second.get();
}

bool Logger::enabled(LogLevel level) const { return impl_->should_log(to_spdlog(level)); }

void Logger::write(LogLevel level, std::string_view message) const {
  impl_->log(to_spdlog(level), spdlog::string_view_t(message.data(), message.size()));
}

const Logger& default_logger() {
  static const Logger logger(kDefaultLoggerName);
  return logger;
}

}  // namespace tars::core
