// The built dashboard served from a directory: files by path, index.html for client-side routes
// (single-page app fallback), never anything outside the directory.
#pragma once

#include <filesystem>

#include "tars/http/message.h"

namespace tars::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

  // GET / HEAD: the file, or index.html for an extension-less path outside /api/ and /ws/;
  // 404 (JSON) otherwise, 405 for other methods. Paths with "..", NUL or backslashes are 400.
  Response serve(const Request& request) const;

 private:
  std::filesystem::path root_;
};

// "text/html; charset=utf-8" for ".html", ...; "application/octet-stream" when unknown.
const char* content_type_for(const std::filesystem::path& file);

}  // namespace tars::http
