// Timestamps as stored and shown everywhere: microseconds since the Unix epoch, UTC, written as
// ISO-8601 ("2026-11-29T20:44:24.123456Z").
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "tars/core/status.h"

namespace tars::core {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

Timestamp now();
std::int64_t to_micros(Timestamp t);
Timestamp from_micros(std::int64_t micros);

// "2026-11-29T20:44:24.123456Z" (always six fractional digits).
std::string format_iso8601(Timestamp t);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)"; a missing zone is an error.
Expected<Timestamp> parse_iso8601(std::string_view text);

}  // namespace tars::core
