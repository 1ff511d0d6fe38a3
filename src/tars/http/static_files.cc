#include "tars/http/static_files.h"

#include <array>
#include <utility>

#include "tars/core/file_io.h"

namespace tars::http {
namespace {

constexpr std::array<std::pair<const char*, const char*>, 14> kContentTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".wasm", "application/wasm"},
}};

bool is_safe(const std::string& path) {
  if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    const auto segment = path.substr(start, end == std::string::npos ? end : end - start);
    if (segment == "..") return false;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return true;
}

Response file_response(const std::filesystem::path& file, bool head, bool immutable) {
  auto bytes = core::read_file(file);
  if (!bytes.ok())
    return error_response(404, "not_found", "cannot read " + file.filename().string());
  Response response;
  response.headers["Content-Type"] = content_type_for(file);
  // Vite puts content-hashed files under assets/: they never change; index.html always may.
  response.headers["Cache-Control"] =
      immutable ? "public, max-age=31536000, immutable" : "no-cache";
  response.body = head ? std::string() : std::move(*bytes);
  if (head) response.headers["Content-Length"] = std::to_string(bytes->size());
  return response;
}

}  // namespace

const char* content_type_for(const std::filesystem::path& file) {
  const auto extension = file.extension().string();
  for (const auto& [ext, type] : kContentTypes) {
    if (extension == ext) return type;
  }
  return "application/octet-stream";
}

Response StaticFiles::serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    return error_response(405, "method_not_allowed",
                          request.method + " is not allowed on " + request.path);
  }
  if (!is_safe(request.path)) {
    return error_response(400, "invalid_path", "the path may not contain '..', NUL or '\\'");
  }
  const bool head = request.method == "HEAD";
  std::string relative = request.path;
  relative.erase(0, relative.find_first_not_of('/'));  // all of it when it is only slashes
  std::error_code error;
  const auto file = root_ / relative;
  if (!relative.empty() && std::filesystem::is_regular_file(file, error)) {
    return file_response(file, head, relative.starts_with("assets/"));
  }
  const bool client_route = !request.path.starts_with("/api/") &&
                            !request.path.starts_with("/ws/") &&
                            std::filesystem::path(relative).extension().empty();
  if (client_route) {
    const auto index = root_ / "index.html";
    if (std::filesystem::is_regular_file(index, error)) return file_response(index, head, false);
    return error_response(404, "not_found",
                          "the dashboard is not built: no index.html in " + root_.string());
  }
  return error_response(404, "not_found", "no route or file for " + request.path);
}

}  // namespace tars::http
