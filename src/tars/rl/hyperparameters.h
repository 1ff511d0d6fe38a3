// Hyperparameters of an agent: a declared schema (type, bounds, reload class) and validated
// values. HyperSync and `tars train --set key=value` change values only through this class.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tars/core/status.h"
#include "tars/nn/schedule.h"

namespace tars::rl {

// When a changed value can take effect in a running agent (DESIGN.md §3, HyperSync).
enum class ReloadClass {
  kHot,   // at the next update (learning rate, clip range, entropy coefficient, ...)
  kWarm,  // at the next rollout / episode boundary (batch size, epochs, noise, ...)
  kCold,  // only in a new agent (network sizes, buffer size, number of envs, ...)
};
const char* reload_class_name(ReloadClass reload);

enum class HyperparameterType {
  kNumber,   // double within [min, max]
  kInteger,  // int64 within [min, max]
  kBool,
  kChoice,    // one of `choices`
  kSchedule,  // "0.001" (constant) or "lin_0.001" (RL Zoo: linear from 0.001 to 0)
};

struct HyperparameterSpec {
  std::string name;  // snake_case, as RL Zoo / Stable-Baselines3 name it
  HyperparameterType type = HyperparameterType::kNumber;
  std::string default_value;  // as text, validated like any other value
  double min = 0.0;           // kNumber / kInteger / kSchedule (its start value), inclusive
  double max = 0.0;
  std::vector<std::string> choices = {};  // kChoice
  ReloadClass reload = ReloadClass::kCold;
  std::string description = {};  // one line naming the paper's term
};

// A value resolved against its spec.
using HyperparameterValue = std::variant<double, std::int64_t, bool, std::string>;

class Hyperparameters {
 public:
  // All defaults; fails if a default breaks its own spec (a programming error worth a message).
  static core::Expected<Hyperparameters> from_schema(std::vector<HyperparameterSpec> schema);

  // Parses and validates `text` for `name`: unknown names, wrong types and out-of-bounds values
  // are errors naming the key, its bounds and what was given.
  core::Status set(std::string_view name, std::string_view text);
  // Applies `key=value` pairs in order; stops at the first error.
  core::Status set_all(const std::vector<std::pair<std::string, std::string>>& assignments);

  double number(std::string_view name) const;
  std::int64_t integer(std::string_view name) const;
  bool flag(std::string_view name) const;
  const std::string& choice(std::string_view name) const;
  // kSchedule values; a kNumber value reads as a constant schedule.
  nn::Schedule schedule(std::string_view name) const;

  // The value as text, e.g. "0.2", "lin_0.001", "true", "relu".
  std::string text(std::string_view name) const;
  const std::vector<HyperparameterSpec>& schema() const { return schema_; }
  const HyperparameterSpec* find(std::string_view name) const;
  // Names and values in schema order.
  std::vector<std::pair<std::string, std::string>> as_text() const;

 private:
  std::size_t index_of(std::string_view name) const;

  std::vector<HyperparameterSpec> schema_;
  std::vector<std::string> texts_;  // parallel to schema_, canonical text of each value
  std::vector<HyperparameterValue> values_;
  std::vector<nn::Schedule> schedules_;  // parallel to schema_, used by kSchedule only
};

// Parses "key=value" as given to `--set`; the key must be non-empty.
core::Expected<std::pair<std::string, std::string>> parse_assignment(std::string_view text);

}  // namespace tars::rl
