#include "tars/http/message.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace tars::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

const std::string& Request::header(std::string_view name) const {
  static const std::string empty;
  const auto it = headers.find(std::string(name));
  return it == headers.end() ? empty : it->second;
}

Response Response::json(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers["Content-Type"] = "application/json";
  response.body = std::move(body);
  return response;
}

Response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view field) {
  nlohmann::json error{{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  // Messages quote what the client sent, which need not be UTF-8: replace, never throw.
  return Response::json(status, nlohmann::json{{"error", error}}.dump(
                                    -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response error_response(const core::Status& status, std::string_view field) {
  switch (status.code()) {
    case core::ErrorCode::kInvalidArgument:
    case core::ErrorCode::kOutOfRange:
      return error_response(400, "invalid_argument", status.message(), field);
    case core::ErrorCode::kNotFound:
      return error_response(404, "not_found", status.message(), field);
    case core::ErrorCode::kFailedPrecondition:
      return error_response(409, "conflict", status.message(), field);
    case core::ErrorCode::kIo:
      return error_response(503, "unavailable", status.message(), field);
    case core::ErrorCode::kInternal:
      break;
  }
  return error_response(500, "internal", status.message(), field);
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += plus_is_space && c == '+' ? ' ' : c;
    }
  }
  return out;
}

core::Expected<std::map<std::string, std::string, std::less<>>> parse_query(
    std::string_view query) {
  std::map<std::string, std::string, std::less<>> params;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) {
      return core::invalid_argument(fmt::format("malformed percent escape in query '{}'", pair));
    }
    params[*key] = *value;
  }
  return params;
}

}  // namespace tars::http
