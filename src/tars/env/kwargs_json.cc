#include "tars/env/kwargs_json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace tars::env {

core::Expected<Kwargs> parse_kwargs(std::string_view json_text) {
  const nlohmann::json parsed =
      nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return core::invalid_argument("--kwargs is not valid JSON");
  if (!parsed.is_object()) return core::invalid_argument("--kwargs must be a JSON object");
  Kwargs kwargs;
  for (const auto& [key, value] : parsed.items()) {
    if (value.is_boolean()) {
      kwargs[key] = value.get<bool>();
    } else if (value.is_number()) {
      kwargs[key] = value.get<double>();
    } else if (value.is_string()) {
      kwargs[key] = value.get<std::string>();
    } else {
      return core::invalid_argument(
          fmt::format("--kwargs: '{}' must be a boolean, number or string", key));
    }
  }
  return kwargs;
}

std::string kwargs_to_json(const Kwargs& kwargs) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : kwargs) {
    std::visit([&, &key = key](const auto& v) { object[key] = v; }, value);
  }
  return object.dump();
}

}  // namespace tars::env
