#include "tars/api/params.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace tars::api {
namespace {

ParamError invalid(std::string_view field, std::string message) {
  return {core::invalid_argument(std::move(message)), std::string(field)};
}

}  // namespace

std::optional<ParamError> check_known(const http::Request& request,
                                      std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : request.query) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return invalid(name, fmt::format("unknown query parameter '{}' (known: {})", name,
                                       fmt::join(allowed, ", ")));
    }
  }
  return std::nullopt;
}

std::optional<ParamError> read_int(const http::Request& request, std::string_view name,
                                   std::int64_t min, std::int64_t max, std::int64_t& out) {
  const auto it = request.query.find(name);
  if (it == request.query.end()) return std::nullopt;
  const std::string& text = it->second;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return invalid(name, fmt::format("{}: '{}' is not an integer", name, text));
  }
  if (value < min || value > max) {
    return invalid(name,
                   fmt::format("{}: must be between {} and {}, got {}", name, min, max, value));
  }
  out = value;
  return std::nullopt;
}

std::optional<ParamError> read_time(const http::Request& request, std::string_view name,
                                    std::optional<core::Timestamp>& out) {
  const auto it = request.query.find(name);
  if (it == request.query.end()) return std::nullopt;
  auto parsed = core::parse_iso8601(it->second);
  if (!parsed.ok()) return invalid(name, fmt::format("{}: {}", name, parsed.status().message()));
  out = *parsed;
  return std::nullopt;
}

std::optional<std::string> read_text(const http::Request& request, std::string_view name) {
  const auto it = request.query.find(name);
  if (it == request.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<ParamError> parse_body(const http::Request& request,
                                     std::initializer_list<std::string_view> allowed,
                                     nlohmann::json& out) {
  out = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) return invalid("body", "the body is not valid JSON");
  if (!out.is_object()) return invalid("body", "the body must be a JSON object");
  for (const auto& [name, value] : out.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return invalid(name,
                     fmt::format("unknown field '{}' (known: {})", name, fmt::join(allowed, ", ")));
    }
  }
  return std::nullopt;
}

}  // namespace tars::api
