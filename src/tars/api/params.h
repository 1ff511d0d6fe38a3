// Reading query parameters and JSON bodies: every error names the parameter or field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "tars/core/status.h"
#include "tars/core/time.h"
#include "tars/http/message.h"

namespace tars::api {

// An error naming the parameter in `field`, ready to return.
struct ParamError {
  core::Status status;
  std::string field;

  http::Response response() const { return http::error_response(status, field); }
};

// Fails on a query parameter not in `allowed`.
std::optional<ParamError> check_known(const http::Request& request,
                                      std::initializer_list<std::string_view> allowed);
// The integer parameter in [min, max]; `out` is left as it is when the parameter is absent.
std::optional<ParamError> read_int(const http::Request& request, std::string_view name,
                                   std::int64_t min, std::int64_t max, std::int64_t& out);
// The ISO-8601 time parameter when present.
std::optional<ParamError> read_time(const http::Request& request, std::string_view name,
                                    std::optional<core::Timestamp>& out);
// The text parameter when present and non-empty.
std::optional<std::string> read_text(const http::Request& request, std::string_view name);

// The body as a JSON object whose keys are all in `allowed`.
std::optional<ParamError> parse_body(const http::Request& request,
                                     std::initializer_list<std::string_view> allowed,
                                     nlohmann::json& out);
// A typed field of a parsed body when present; wrong types name the field.
template <typename T>
std::optional<ParamError> read_field(const nlohmann::json& body, const char* name,
                                     std::optional<T>& out) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  try {
    out = it->get<T>();
    return std::nullopt;
  } catch (const nlohmann::json::exception&) {
    return ParamError{core::invalid_argument(std::string(name) + ": wrong type"), name};
  }
}

}  // namespace tars::api
