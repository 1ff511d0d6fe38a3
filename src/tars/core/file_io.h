// Whole-file reads and crash-safe whole-file writes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "tars/core/status.h"

namespace tars::core {

// Replaces `path` with `bytes` so that readers see the old or the new content, never a mix:
// writes a temporary file in the same directory, fsyncs it, renames it over `path` and fsyncs
// the directory. The temporary file is removed on failure.
Status write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// The whole content of `path`; kNotFound when it does not exist.
Expected<std::string> read_file(const std::filesystem::path& path);

}  // namespace tars::core
