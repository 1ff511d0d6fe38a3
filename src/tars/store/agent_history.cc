#include "tars/store/agent_history.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace tars::store {
namespace {

core::Status require_finite(std::string_view field, double value) {
  if (std::isfinite(value)) return {};
  return core::invalid_argument(fmt::format("{}: must be finite, got {}", field, value));
}

core::Status require_non_negative(std::string_view field, std::int64_t value) {
  if (value >= 0) return {};
  return core::invalid_argument(fmt::format("{}: must be >= 0, got {}", field, value));
}

}  // namespace

core::Status validate(const AgentEpisodeRecord& record) {
  if (record.agent_id.empty()) return core::invalid_argument("agent_id: must not be empty");
  for (const auto& status :
       {require_non_negative("episode", record.episode),
        require_non_negative("steps", record.steps), require_finite("reward", record.reward),
        require_finite("reward_mean_10", record.reward_mean_10),
        require_finite("reward_mean_100", record.reward_mean_100)}) {
    if (!status.ok()) return status;
  }
  if (!nlohmann::json::parse(record.metrics, nullptr, /*allow_exceptions=*/false).is_object()) {
    return core::invalid_argument("metrics: not a JSON object");
  }
  return {};
}

core::Status validate(const AgentHistoryQuery& query) {
  if (query.agent_id.empty()) return core::invalid_argument("agent_id: must not be empty");
  return validate(EvaluationQuery{.limit = query.limit, .offset = query.offset});
}

}  // namespace tars::store
