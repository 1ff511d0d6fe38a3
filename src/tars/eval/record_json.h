// Evaluations and baselines as JSON, with T.A.R.S. 1.0's field names (the API, `tars eval` and
// the WebSocket feed all use these).
#pragma once

#include <nlohmann/json.hpp>

#include "tars/store/records.h"

namespace tars::eval {

nlohmann::json to_json(const store::EvaluationMetrics& metrics);
nlohmann::json to_json(const store::RegressionVerdict& regression);
// Every field; `episodes` only when the record holds them.
nlohmann::json to_json(const store::EvaluationRecord& record);
nlohmann::json to_json(const store::BaselineRecord& baseline);

}  // namespace tars::eval
