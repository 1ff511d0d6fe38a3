#include "tars/http/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace tars::http {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header and trailer

std::string lowercase_trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Whether a q parameter ("q=0", "q=0.000") refuses the coding.
bool refused(std::string_view parameters) {
  const std::string text = lowercase_trimmed(parameters);
  if (!text.starts_with("q=")) return false;
  return text.find_first_not_of("0.", 2) == std::string::npos;
}

}  // namespace

bool accepts_gzip(const Request& request) {
  std::string_view header = request.header("Accept-Encoding");
  bool gzip_seen = false, gzip_ok = false, any_ok = false;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const std::string_view item = header.substr(0, comma);
    const auto semicolon = item.find(';');
    const std::string coding = lowercase_trimmed(item.substr(0, semicolon));
    const bool ok = semicolon == std::string_view::npos || !refused(item.substr(semicolon + 1));
    if (coding == "gzip" || coding == "x-gzip") {
      gzip_seen = true;
      gzip_ok = ok;
    } else if (coding == "*") {
      any_ok = ok;
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return gzip_seen ? gzip_ok : any_ok;
}

std::string gzip(std::string_view body) {
  z_stream stream{};
  if (deflateInit2(&stream, 1, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, body.size()) + 18, '\0');  // + gzip header and trailer
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("gzip: output buffer too small");
  return out;
}

Response gzip_json(std::string compressed) {
  Response response = Response::json(200, std::move(compressed));
  response.headers["Content-Encoding"] = "gzip";
  response.headers["Vary"] = "Accept-Encoding";
  return response;
}

}  // namespace tars::http
