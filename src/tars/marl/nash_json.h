// NashResult as JSON, for the CLI and the orchestrator's events.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "tars/marl/nash.h"

namespace tars::marl {

// {"equilibria": [{"strategies": [[...], ...], "payoffs": [...], "exploitability": x}, ...],
//  "method", "iterations", "converged", "truncated", "exploitability"}
nlohmann::json to_json(const NashResult& result);

}  // namespace tars::marl
