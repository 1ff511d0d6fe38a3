#include "tars/core/file_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <system_error>

namespace tars::core {

namespace {

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

}  // namespace

Status write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::path directory = path.parent_path();
  if (directory.empty()) directory = ".";
  std::string temp_name =
      (directory / fmt::format(".{}.tmp.XXXXXX", path.filename().string())).string();
  const int fd = ::mkstemp(temp_name.data());
  if (fd < 0) {
    return io_error(fmt::format("cannot create a temporary file in '{}': {}", directory.string(),
                                errno_text(errno)));
  }
  bool open = true;
  auto fail = [&](std::string_view action) {
    const std::string message =
        fmt::format("cannot write '{}': {} failed: {}", path.string(), action, errno_text(errno));
    if (open) ::close(fd);
    ::unlink(temp_name.c_str());
    return io_error(message);
  };

  // mkstemp creates 0600; a checkpoint is an ordinary file.
  if (::fchmod(fd, 0644) != 0) return fail("chmod");
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync");
  open = false;
  if (::close(fd) != 0) return fail("close");
  if (::rename(temp_name.c_str(), path.c_str()) != 0) return fail("rename");

  // Makes the rename itself durable.
  const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    return io_error(fmt::format("cannot open directory '{}' to sync it: {}", directory.string(),
                                errno_text(errno)));
  }
  const bool synced = ::fsync(dir_fd) == 0;
  const int sync_errno = errno;
  ::close(dir_fd);
  if (!synced) {
    return io_error(
        fmt::format("cannot sync directory '{}': {}", directory.string(), errno_text(sync_errno)));
  }
  return {};
}

Expected<std::string> read_file(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    return not_found(fmt::format("'{}' does not exist", path.string()));
  }
  if (std::filesystem::is_directory(status)) {
    return io_error(fmt::format("'{}' is a directory, not a file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return io_error(fmt::format("cannot open '{}': {}", path.string(), errno_text(errno)));
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return io_error(fmt::format("cannot read '{}'", path.string()));
  return bytes;
}

}  // namespace tars::core
