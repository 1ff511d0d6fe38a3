// Requests and responses as handlers see them: plain values, so that Boost.Beast stays inside the
// server's own files (two cores: build time matters).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/status.h"

namespace tars::http {

// Header names are compared case-insensitively.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

// Who made a request, once authentication has run (the API's auth middleware fills it).
struct Principal {
  std::int64_t user_id = 0;     // the user, or the API key's owner
  std::string username = {};    // the user, or the API key's owner
  std::string role = {};        // "viewer", "developer" or "admin"
  bool api_key = false;         // authenticated by X-API-Key rather than a bearer token
  std::int64_t api_key_id = 0;  // api_key only
  std::string key_name = {};    // api_key only
};

struct Request {
  std::string method;                                     // "GET", "POST", ...
  std::string target;                                     // as sent: path and query
  std::string path;                                       // percent-decoded path without the query
  std::map<std::string, std::string, std::less<>> query;  // decoded; last value wins
  std::map<std::string, std::string, std::less<>> path_params;  // from the route pattern
  Headers headers;
  std::string body;
  std::string client_ip;
  std::string request_id;  // X-Request-Id: the client's when valid, else generated
  std::string route;       // the matched route pattern, "" when none matched
  std::optional<Principal> principal;

  // The header's value, or "" when absent.
  const std::string& header(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // A JSON body with its content type.
  static Response json(int status, std::string body);
};

// {"error": {"code", "message", "field"?}} with the given status: the one error shape.
Response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view field = {});
// The status and error code a Status maps to: invalid_argument 400, not_found 404,
// failed_precondition 409, out_of_range 400, io 503, internal 500.
Response error_response(const core::Status& status, std::string_view field = {});

// Splits "a=1&b=x%20y" into decoded pairs; malformed percent escapes are an error naming them.
core::Expected<std::map<std::string, std::string, std::less<>>> parse_query(std::string_view query);
// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace tars::http
