// Evaluations and baselines as JSON, with T.A.R.S. 1.0's field names (the API, `tars eval` and
// the WebSocket feed all use these). The writers are the one definition of the layout (keys in
// sorted order, as nlohmann::json prints them); to_json parses what they write, for callers that
// add fields or embed the result.
#pragma once

#include <nlohmann/json.hpp>

#include "tars/core/json_writer.h"
#include "tars/store/records.h"

namespace tars::eval {

void write_json(core::JsonWriter& out, const store::EvaluationMetrics& metrics);
void write_json(core::JsonWriter& out, const store::RegressionVerdict& regression);
// Every field; `episodes` only when the record holds them.
void write_json(core::JsonWriter& out, const store::EvaluationRecord& record);
void write_json(core::JsonWriter& out, const store::BaselineRecord& baseline);

// write_json's text.
std::string json_text(const store::EvaluationRecord& record);
std::string json_text(const store::BaselineRecord& baseline);

// write_json's output as a value.
nlohmann::json to_json(const store::EvaluationMetrics& metrics);
nlohmann::json to_json(const store::RegressionVerdict& regression);
nlohmann::json to_json(const store::EvaluationRecord& record);
nlohmann::json to_json(const store::BaselineRecord& baseline);

}  // namespace tars::eval
