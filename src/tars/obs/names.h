// Prometheus naming rules, checked when a metric family is registered or a series created.
#pragma once

#include <string_view>

#include "tars/core/status.h"

namespace tars::obs {

// OK when `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*; otherwise an invalid_argument naming it.
core::Status check_metric_name(std::string_view name);
// OK when `name` matches [a-zA-Z_][a-zA-Z0-9_]* and does not start with the reserved "__".
core::Status check_label_name(std::string_view name);
// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace tars::obs
