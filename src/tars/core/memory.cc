#include "tars/core/memory.h"

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <limits>
#include <optional>
#include <string>

namespace tars::core {
namespace {

constexpr std::uint64_t kKiB = 1024;

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  return value;
}

// A "Key:   123 kB" line of /proc/meminfo or /proc/self/status, in bytes.
Expected<std::uint64_t> read_kib_field(const char* path, std::string_view key) {
  std::ifstream file(path);
  if (!file) return io_error(fmt::format("cannot open {}", path));
  std::string line;
  while (std::getline(file, line)) {
    const std::string_view view(line);
    if (view.size() <= key.size() || !view.starts_with(key) || view[key.size()] != ':') continue;
    const std::optional<std::uint64_t> kib = parse_u64(view.substr(key.size() + 1));
    if (!kib) return io_error(fmt::format("cannot parse '{}' in {}", line, path));
    return *kib * kKiB;
  }
  return io_error(fmt::format("no {} field in {}", key, path));
}

std::optional<std::string> read_first_line(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  if (!file || !std::getline(file, line)) return std::nullopt;
  return line;
}

// A "key value" line of a cgroup memory.stat file.
std::optional<std::uint64_t> read_stat_field(const std::string& path, std::string_view key) {
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    const std::string_view view(line);
    if (view.size() > key.size() && view.starts_with(key) && view[key.size()] == ' ') {
      return parse_u64(view.substr(key.size() + 1));
    }
  }
  return std::nullopt;
}

// Limit minus working set (usage without the reclaimable inactive page cache, as the kubelet
// counts it) of one cgroup directory; nullopt when it sets no limit or cannot be read.
std::optional<std::uint64_t> cgroup_headroom(const std::string& dir, bool v2) {
  const std::optional<std::string> limit_text =
      read_first_line(dir + (v2 ? "/memory.max" : "/memory.limit_in_bytes"));
  if (!limit_text || *limit_text == "max") return std::nullopt;
  std::optional<std::uint64_t> limit = parse_u64(*limit_text);
  const std::optional<std::string> usage_text =
      read_first_line(dir + (v2 ? "/memory.current" : "/memory.usage_in_bytes"));
  if (!limit || !usage_text) return std::nullopt;
  const std::optional<std::uint64_t> usage = parse_u64(*usage_text);
  if (!usage) return std::nullopt;
  const std::string stat = dir + "/memory.stat";
  if (!v2) {
    // cgroup v1 reports the effective limit including the ancestors' here.
    if (auto hierarchical = read_stat_field(stat, "hierarchical_memory_limit")) {
      limit = std::min(*limit, *hierarchical);
    }
  }
  const std::uint64_t inactive =
      read_stat_field(stat, v2 ? "inactive_file" : "total_inactive_file").value_or(0);
  const std::uint64_t working_set = *usage > inactive ? *usage - inactive : 0;
  return *limit > working_set ? *limit - working_set : 0;
}

// The smallest headroom of the memory cgroups this process is in (v2: its cgroup and every
// ancestor; v1: its memory cgroup), or nullopt when no cgroup limits memory.
std::optional<std::uint64_t> cgroup_available_bytes() {
  std::ifstream file("/proc/self/cgroup");
  std::string line;
  std::optional<std::uint64_t> best;
  const auto take = [&best](std::optional<std::uint64_t> headroom) {
    if (headroom) best = best ? std::min(*best, *headroom) : *headroom;
  };
  while (std::getline(file, line)) {
    // "hierarchy-id:controllers:path"; v2 is "0::path".
    const std::size_t first = line.find(':');
    const std::size_t second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (controllers.empty()) {
      const std::string root = "/sys/fs/cgroup";
      while (true) {
        take(cgroup_headroom(root + path, /*v2=*/true));
        if (path.empty() || path == "/") break;
        path = path.substr(0, path.find_last_of('/'));
      }
    } else if (("," + controllers + ",").find(",memory,") != std::string::npos) {
      const std::string root = "/sys/fs/cgroup/memory";
      std::optional<std::uint64_t> headroom = cgroup_headroom(root + path, /*v2=*/false);
      // Inside a cgroup namespace the process's own cgroup is mounted at the root.
      if (!headroom) headroom = cgroup_headroom(root, /*v2=*/false);
      take(headroom);
    }
  }
  return best;
}

}  // namespace

Expected<std::uint64_t> available_memory_bytes() {
  Expected<std::uint64_t> available = read_kib_field("/proc/meminfo", "MemAvailable");
  if (!available) return available;
  if (const std::optional<std::uint64_t> cgroup = cgroup_available_bytes()) {
    return std::min(*available, *cgroup);
  }
  return available;
}

Expected<std::uint64_t> peak_rss_bytes() { return read_kib_field("/proc/self/status", "VmHWM"); }

Expected<std::uint64_t> current_rss_bytes() { return read_kib_field("/proc/self/status", "VmRSS"); }

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < kKiB) return fmt::format("{} bytes", bytes);
  constexpr std::array<const char*, 4> kUnits = {"KiB", "MiB", "GiB", "TiB"};
  auto value = static_cast<double>(bytes) / static_cast<double>(kKiB);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  // Two decimals from GiB up, where the difference between 1.4 and 1.45 matters.
  return unit >= 2 ? fmt::format("{:.2f} {}", value, kUnits[unit])
                   : fmt::format("{:.1f} {}", value, kUnits[unit]);
}

Status check_allocation(std::string_view what, std::uint64_t bytes) {
  const Expected<std::uint64_t> available = available_memory_bytes();
  if (!available) return Status();
  const auto allowed =
      static_cast<std::uint64_t>(static_cast<double>(*available) * kAllocationMemoryFraction);
  if (bytes <= allowed) return Status();
  return out_of_range(
      fmt::format("{} needs {} but only {} are available ({:.0f}% of the {} this system has free)",
                  what, format_bytes(bytes), format_bytes(allowed),
                  kAllocationMemoryFraction * 100.0, format_bytes(*available)));
}

void keep_freed_memory_for_reuse(std::uint64_t retained_bytes) {
  const int retained = static_cast<int>(std::min<std::uint64_t>(retained_bytes, std::numeric_limits<int>::max()));
  mallopt(M_TRIM_THRESHOLD, retained);
  // Setting the trim threshold freezes the mmap threshold at 128 KiB; raised to glibc's maximum,
  // larger buffers (gzip output, WebSocket batches) come from the heaps and are reused as well.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
}

}  // namespace tars::core
