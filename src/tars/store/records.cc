#include "tars/store/records.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "tars/store/repository.h"

namespace tars::store {
namespace {

template <typename Enum, std::size_t N>
core::Expected<Enum> parse_name(std::string_view field, std::string_view text,
                                const std::array<std::pair<Enum, const char*>, N>& names) {
  std::string allowed;
  for (const auto& [value, name] : names) {
    if (text == name) return value;
    allowed += allowed.empty() ? name : fmt::format(", {}", name);
  }
  return core::invalid_argument(
      fmt::format("{}: expected one of {}, got '{}'", field, allowed, text));
}

template <typename Enum, std::size_t N>
const char* name_of(Enum value, const std::array<std::pair<Enum, const char*>, N>& names) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<EvaluationStatus, const char*>, 5> kStatusNames{{
    {EvaluationStatus::kPending, "pending"},
    {EvaluationStatus::kRunning, "running"},
    {EvaluationStatus::kCompleted, "completed"},
    {EvaluationStatus::kFailed, "failed"},
    {EvaluationStatus::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<PolicyMode, const char*>, 2> kPolicyModeNames{{
    {PolicyMode::kDeterministic, "deterministic"},
    {PolicyMode::kStochastic, "stochastic"},
}};
constexpr std::array<std::pair<LossTrend, const char*>, 4> kLossTrendNames{{
    {LossTrend::kNone, "none"},
    {LossTrend::kDecreasing, "decreasing"},
    {LossTrend::kStable, "stable"},
    {LossTrend::kIncreasing, "increasing"},
}};

}  // namespace

const char* status_name(EvaluationStatus status) { return name_of(status, kStatusNames); }
core::Expected<EvaluationStatus> parse_status(std::string_view text) {
  return parse_name("status", text, kStatusNames);
}
bool is_terminal(EvaluationStatus status) {
  return status == EvaluationStatus::kCompleted || status == EvaluationStatus::kFailed ||
         status == EvaluationStatus::kCancelled;
}

const char* policy_mode_name(PolicyMode mode) { return name_of(mode, kPolicyModeNames); }
core::Expected<PolicyMode> parse_policy_mode(std::string_view text) {
  return parse_name("policy_mode", text, kPolicyModeNames);
}

const char* loss_trend_name(LossTrend trend) { return name_of(trend, kLossTrendNames); }
core::Expected<LossTrend> parse_loss_trend(std::string_view text) {
  return parse_name("loss_trend", text, kLossTrendNames);
}

core::Status validate(const EvaluationQuery& query) {
  if (query.limit < 1 || query.limit > kMaxListLimit) {
    return core::invalid_argument(
        fmt::format("limit: must be between 1 and {}, got {}", kMaxListLimit, query.limit));
  }
  if (query.offset < 0) {
    return core::invalid_argument(fmt::format("offset: must be >= 0, got {}", query.offset));
  }
  if (query.created_since && query.created_until && *query.created_until < *query.created_since) {
    return core::invalid_argument("until: must not be before since");
  }
  return {};
}

}  // namespace tars::store
