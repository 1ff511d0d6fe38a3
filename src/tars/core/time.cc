#include "tars/core/time.h"

#include <fmt/format.h>

#include <cctype>

namespace tars::core {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `width` digits at `pos`; false when they are not all digits.
bool read_digits(std::string_view text, std::size_t& pos, int width, int& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
    out = out * 10 + (c - '0');
  }
  pos += width;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

Status malformed(std::string_view text) {
  return invalid_argument(fmt::format(
      "'{}' is not an ISO-8601 time (expected e.g. 2026-01-31 or 2026-01-31T12:00:00Z)", text));
}

}  // namespace

Timestamp now() {
  return std::chrono::time_point_cast<microseconds>(std::chrono::system_clock::now());
}

std::int64_t to_micros(Timestamp t) { return t.time_since_epoch().count(); }

Timestamp from_micros(std::int64_t micros) { return Timestamp(microseconds(micros)); }

std::string format_iso8601(Timestamp t) {
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss<microseconds> time(t - day);
  // Written by hand: this runs for every timestamp of every listed evaluation.
  std::string text = "0000-00-00T00:00:00.000000Z";
  const auto put = [&text](std::size_t end, std::int64_t value, int width) {
    for (int i = 1; i <= width; ++i, value /= 10)
      text[end - i] = static_cast<char>('0' + value % 10);
  };
  put(4, int(date.year()), 4);
  put(7, unsigned(date.month()), 2);
  put(10, unsigned(date.day()), 2);
  put(13, time.hours().count(), 2);
  put(16, time.minutes().count(), 2);
  put(19, time.seconds().count(), 2);
  put(26, time.subseconds().count(), 6);
  return text;
}

Expected<Timestamp> parse_iso8601(std::string_view text) {
  std::size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day)) {
    return malformed(text);
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok()) return malformed(text);
  Timestamp result{std::chrono::sys_days(date)};
  if (pos == text.size()) return result;

  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!(expect(text, pos, 'T') || expect(text, pos, ' ')) || !read_digits(text, pos, 2, hour) ||
      !expect(text, pos, ':') || !read_digits(text, pos, 2, minute) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, second) || hour > 23 || minute > 59 || second > 60) {
    return malformed(text);
  }
  result += hours(hour) + minutes(minute) + seconds(second);
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::int64_t fraction = 0;
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
      if (digits < 6) fraction = fraction * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return malformed(text);
    for (int i = digits; i < 6; ++i) fraction *= 10;
    result += microseconds(fraction);
  }
  if (expect(text, pos, 'Z'))
    return pos == text.size() ? Expected<Timestamp>(result) : malformed(text);
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    int offset_hours = 0;
    int offset_minutes = 0;
    if (!read_digits(text, pos, 2, offset_hours) || !expect(text, pos, ':') ||
        !read_digits(text, pos, 2, offset_minutes) || pos != text.size()) {
      return malformed(text);
    }
    return result - sign * (hours(offset_hours) + minutes(offset_minutes));
  }
  return malformed(text);
}

}  // namespace tars::core
