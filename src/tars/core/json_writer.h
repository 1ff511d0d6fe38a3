// Writes JSON text straight into a string, for responses built on hot paths (the evaluation list
// serialises 100 records per request; building an nlohmann::json tree first costs ~3x more).
// The output is compact; commas are placed by the writer. Doubles use the shortest text that
// reads back to the same value and keep a ".0" when integral (as nlohmann and Python print them);
// NaN and infinities are written as null. Strings are escaped as JSON requires and invalid UTF-8
// is replaced by U+FFFD, so the output always parses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tars::core {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The next member's name; inside an object, every value is preceded by one.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(double number);
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(std::uint64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // A value that already is JSON text (a stored JSON column); the caller vouches for it.
  JsonWriter& raw(std::string_view json);

  template <typename T>
  JsonWriter& value(const std::optional<T>& maybe) {
    return maybe ? value(*maybe) : null();
  }

 private:
  void before_value();

  std::string& out_;
  // One entry per open object or array: whether it has no element yet.
  std::vector<bool> empty_;
  bool after_key_ = false;
};

// `text` as a JSON string literal, quotes included, appended to `out`.
void append_json_string(std::string& out, std::string_view text);

}  // namespace tars::core
