// gzip content coding (RFC 9110 §8.4.1.3) for large responses that are rendered once and served
// many times (cached evaluation lists): compressing costs ~0.4 ms per 80 KB, so it is done when a
// body enters a cache, not per request.
#pragma once

#include <string>
#include <string_view>

#include "tars/http/message.h"

namespace tars::http {

// Whether the request's Accept-Encoding allows gzip (listed, or "*", without q=0).
bool accepts_gzip(const Request& request);

// `body` as a gzip stream (zlib level 1: ~5x smaller for JSON, fast to make).
std::string gzip(std::string_view body);

// A 200 response carrying an already gzip-compressed JSON body.
Response gzip_json(std::string compressed);

}  // namespace tars::http
