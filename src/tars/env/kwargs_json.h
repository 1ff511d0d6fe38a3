// Environment kwargs from the command line's JSON (`--kwargs '{"continuous": true}'`).
#pragma once

#include <string>
#include <string_view>

#include "tars/core/status.h"
#include "tars/env/kwargs.h"

namespace tars::env {

// A JSON object whose values are booleans, numbers or strings; anything else names the key.
core::Expected<Kwargs> parse_kwargs(std::string_view json_text);
// The same kwargs as a compact JSON object, keys sorted.
std::string kwargs_to_json(const Kwargs& kwargs);

}  // namespace tars::env
