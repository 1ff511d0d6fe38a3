#include "tars/rl/hyperparameters.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tars::rl {

namespace {

std::optional<double> parse_double(std::string_view text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true" || text == "True" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "False" || text == "0" || text == "no") return false;
  return std::nullopt;
}

std::string number_text(double value) { return fmt::format("{}", value); }

std::string bounds_text(const HyperparameterSpec& spec) {
  return fmt::format("[{}, {}]", number_text(spec.min), number_text(spec.max));
}

struct Parsed {
  HyperparameterValue value;
  std::string text;
  nn::Schedule schedule = nn::Schedule::constant(0.0);
};

core::Status out_of_bounds(const HyperparameterSpec& spec, std::string_view text) {
  return core::out_of_range(
      fmt::format("hyperparameter '{}' must be in {}, got {}", spec.name, bounds_text(spec), text));
}

core::Expected<Parsed> parse_number(const HyperparameterSpec& spec, std::string_view text) {
  const std::optional<double> value = parse_double(text);
  if (!value) {
    return core::invalid_argument(
        fmt::format("hyperparameter '{}' must be a number, got '{}'", spec.name, text));
  }
  if (*value < spec.min || *value > spec.max) return out_of_bounds(spec, text);
  return Parsed{*value, number_text(*value)};
}

core::Expected<Parsed> parse_integer(const HyperparameterSpec& spec, std::string_view text) {
  // RL Zoo writes counts as floats ("1e5"): accept any number with an integral value.
  const std::optional<double> value = parse_double(text);
  if (!value || std::trunc(*value) != *value || std::abs(*value) > 9.0e15) {
    return core::invalid_argument(
        fmt::format("hyperparameter '{}' must be an integer, got '{}'", spec.name, text));
  }
  if (*value < spec.min || *value > spec.max) return out_of_bounds(spec, text);
  const auto integer = static_cast<std::int64_t>(*value);
  return Parsed{integer, std::to_string(integer)};
}

core::Expected<Parsed> parse_bool_value(const HyperparameterSpec& spec, std::string_view text) {
  const std::optional<bool> value = parse_bool(text);
  if (!value) {
    return core::invalid_argument(
        fmt::format("hyperparameter '{}' must be true or false, got '{}'", spec.name, text));
  }
  return Parsed{*value, *value ? "true" : "false"};
}

core::Expected<Parsed> parse_choice(const HyperparameterSpec& spec, std::string_view text) {
  for (const std::string& choice : spec.choices) {
    if (choice == text) return Parsed{choice, choice};
  }
  return core::invalid_argument(fmt::format("hyperparameter '{}' must be one of {}, got '{}'",
                                            spec.name, fmt::join(spec.choices, ", "), text));
}

core::Expected<Parsed> parse_schedule(const HyperparameterSpec& spec, std::string_view text) {
  auto schedule = nn::Schedule::parse(text);
  if (!schedule.ok()) {
    return core::invalid_argument(
        fmt::format("hyperparameter '{}': {}", spec.name, schedule.status().message()));
  }
  if (schedule->initial_value() < spec.min || schedule->initial_value() > spec.max) {
    return out_of_bounds(spec, text);
  }
  const std::string canonical = schedule->to_string();
  return Parsed{canonical, canonical, *schedule};
}

core::Expected<Parsed> parse_value(const HyperparameterSpec& spec, std::string_view text) {
  switch (spec.type) {
    case HyperparameterType::kNumber:
      return parse_number(spec, text);
    case HyperparameterType::kInteger:
      return parse_integer(spec, text);
    case HyperparameterType::kBool:
      return parse_bool_value(spec, text);
    case HyperparameterType::kChoice:
      return parse_choice(spec, text);
    case HyperparameterType::kSchedule:
      return parse_schedule(spec, text);
  }
  return core::invalid_argument("unknown hyperparameter type");
}

}  // namespace

const char* reload_class_name(ReloadClass reload) {
  switch (reload) {
    case ReloadClass::kHot:
      return "hot";
    case ReloadClass::kWarm:
      return "warm";
    case ReloadClass::kCold:
      return "cold";
  }
  return "cold";
}

core::Expected<Hyperparameters> Hyperparameters::from_schema(
    std::vector<HyperparameterSpec> schema) {
  Hyperparameters result;
  result.schema_ = std::move(schema);
  const std::size_t n = result.schema_.size();
  result.texts_.resize(n);
  result.values_.resize(n);
  result.schedules_.resize(n, nn::Schedule::constant(0.0));
  for (std::size_t i = 0; i < n; ++i) {
    const HyperparameterSpec& spec = result.schema_[i];
    for (std::size_t j = 0; j < i; ++j) {
      if (result.schema_[j].name == spec.name) {
        return core::invalid_argument(fmt::format("hyperparameter '{}' declared twice", spec.name));
      }
    }
    auto parsed = parse_value(spec, spec.default_value);
    if (!parsed.ok()) {
      return core::invalid_argument("bad default: " + parsed.status().message());
    }
    result.texts_[i] = parsed->text;
    result.values_[i] = parsed->value;
    result.schedules_[i] = parsed->schedule;
  }
  return result;
}

const HyperparameterSpec* Hyperparameters::find(std::string_view name) const {
  for (const HyperparameterSpec& spec : schema_) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::size_t Hyperparameters::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < schema_.size(); ++i) {
    if (schema_[i].name == name) return i;
  }
  // Asking for an undeclared name is a bug in the algorithm, not bad input.
  std::fprintf(stderr, "hyperparameter '%.*s' is not declared\n", static_cast<int>(name.size()),
               name.data());
  std::abort();
}

core::Status Hyperparameters::set(std::string_view name, std::string_view text) {
  const HyperparameterSpec* spec = find(name);
  if (spec == nullptr) {
    std::vector<std::string_view> names;
    for (const HyperparameterSpec& known : schema_) names.push_back(known.name);
    return core::invalid_argument(
        fmt::format("unknown hyperparameter '{}' (known: {})", name, fmt::join(names, ", ")));
  }
  auto parsed = parse_value(*spec, text);
  if (!parsed.ok()) return parsed.status();
  const std::size_t i = index_of(name);
  texts_[i] = parsed->text;
  values_[i] = parsed->value;
  schedules_[i] = parsed->schedule;
  return {};
}

core::Status Hyperparameters::set_all(
    const std::vector<std::pair<std::string, std::string>>& assignments) {
  for (const auto& [name, text] : assignments) {
    if (core::Status status = set(name, text); !status.ok()) return status;
  }
  return {};
}

double Hyperparameters::number(std::string_view name) const {
  return std::get<double>(values_[index_of(name)]);
}

std::int64_t Hyperparameters::integer(std::string_view name) const {
  return std::get<std::int64_t>(values_[index_of(name)]);
}

bool Hyperparameters::flag(std::string_view name) const {
  return std::get<bool>(values_[index_of(name)]);
}

const std::string& Hyperparameters::choice(std::string_view name) const {
  return std::get<std::string>(values_[index_of(name)]);
}

nn::Schedule Hyperparameters::schedule(std::string_view name) const {
  const std::size_t i = index_of(name);
  if (schema_[i].type != HyperparameterType::kSchedule) return nn::Schedule::constant(number(name));
  return schedules_[i];
}

std::string Hyperparameters::text(std::string_view name) const { return texts_[index_of(name)]; }

std::vector<std::pair<std::string, std::string>> Hyperparameters::as_text() const {
  std::vector<std::pair<std::string, std::string>> result;
  result.reserve(schema_.size());
  for (std::size_t i = 0; i < schema_.size(); ++i) result.emplace_back(schema_[i].name, texts_[i]);
  return result;
}

core::Expected<std::pair<std::string, std::string>> parse_assignment(std::string_view text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return core::invalid_argument(fmt::format("expected key=value, got '{}'", text));
  }
  return std::pair<std::string, std::string>(std::string(text.substr(0, equals)),
                                             std::string(text.substr(equals + 1)));
}

}  // namespace tars::rl
