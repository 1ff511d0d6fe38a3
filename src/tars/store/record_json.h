// Evaluations and baselines as JSON, with T.A.R.S. 1.0's field names (the API, `tars eval` and
// the WebSocket feed all use these). The writers are the one definition of the layout (keys in
// sorted order, except an evaluation's id, which comes first); to_json parses what they write,
// for callers that add fields or embed the result.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tars/core/json_writer.h"
#include "tars/store/records.h"

namespace tars::store {

void write_json(core::JsonWriter& out, const EvaluationMetrics& metrics);
void write_json(core::JsonWriter& out, const RegressionVerdict& regression);
// Every field; `episodes` only when the record holds them.
void write_json(core::JsonWriter& out, const EvaluationRecord& record);
// What the evaluations table keeps ready for lists: the record's JSON without id and episodes.
std::string evaluation_document(const EvaluationRecord& record);
// write_json's text of a record without episodes, from its id and its evaluation_document.
std::string evaluation_json(std::int64_t id, std::string_view document);
void write_json(core::JsonWriter& out, const BaselineRecord& baseline);

// write_json's text.
std::string json_text(const EvaluationRecord& record);
std::string json_text(const BaselineRecord& baseline);

// write_json's output as a value.
nlohmann::json to_json(const EvaluationMetrics& metrics);
nlohmann::json to_json(const RegressionVerdict& regression);
nlohmann::json to_json(const EvaluationRecord& record);
nlohmann::json to_json(const BaselineRecord& baseline);

}  // namespace tars::store
