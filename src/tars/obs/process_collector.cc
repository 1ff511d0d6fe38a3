#include "tars/obs/process_collector.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "tars/core/file_io.h"
#include "tars/core/log.h"
#include "tars/core/memory.h"

namespace tars::obs {
namespace {

// Positions in the fields of /proc/self/stat that follow "pid (comm)", i.e. field number - 3
// in proc(5).
constexpr std::size_t kUtime = 11;      // user CPU time, clock ticks
constexpr std::size_t kStime = 12;      // system CPU time, clock ticks
constexpr std::size_t kStartTime = 19;  // start time after boot, clock ticks
constexpr std::size_t kVsize = 20;      // virtual memory size, bytes

// The space-separated fields of `text`.
std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find_first_of(" \n", start), text.size());
    if (end > start) fields.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return fields;
}

// `text` as a whole unsigned decimal number; nullopt when it is anything else.
std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The boot time in seconds since the Unix epoch: the "btime" line of /proc/stat.
core::Expected<std::uint64_t> read_boot_time() {
  core::Expected<std::string> stat = core::read_file("/proc/stat");
  if (!stat) return stat.status();
  const std::string_view text = *stat;
  const std::size_t line = text.find("\nbtime ");
  if (line != std::string_view::npos) {
    const std::size_t start = line + 7;
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (const std::optional<std::uint64_t> btime = parse_u64(text.substr(start, end - start))) {
      return *btime;
    }
  }
  return core::io_error("no btime line in /proc/stat");
}

// The entries of /proc/self/fd (including the descriptor that lists them, as other clients do).
core::Expected<std::uint64_t> count_open_fds() {
  std::error_code error;
  std::uint64_t count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++count;
  }
  if (error) return core::io_error(fmt::format("cannot list /proc/self/fd: {}", error.message()));
  return count;
}

// The series the collector refreshes.
struct ProcessSeries {
  Counter* cpu_seconds = nullptr;          // process_cpu_seconds_total
  Gauge* resident_memory_bytes = nullptr;  // process_resident_memory_bytes
  Gauge* virtual_memory_bytes = nullptr;   // process_virtual_memory_bytes
  Gauge* start_time_seconds = nullptr;     // process_start_time_seconds
  Gauge* open_fds = nullptr;               // process_open_fds
  Gauge* max_fds = nullptr;                // process_max_fds
};

// Points `out` at the single series of a label-less family just registered.
template <typename Series>
core::Status take_series(core::Expected<Family<Series>*> family, Series*& out) {
  if (!family) return family.status();
  core::Expected<Series*> series = (*family)->with({});
  if (!series) return series.status();
  out = *series;
  return {};
}

}  // namespace

core::Expected<ProcessStats> read_process_stats() {
  core::Expected<std::string> stat = core::read_file("/proc/self/stat");
  if (!stat) return stat.status();
  // The command name in parentheses may itself contain spaces and parentheses.
  const std::size_t comm_end = stat->rfind(')');
  if (comm_end == std::string::npos) return core::io_error("malformed /proc/self/stat");
  const std::vector<std::string_view> fields =
      split_fields(std::string_view(*stat).substr(comm_end + 1));
  std::array<std::uint64_t, kVsize + 1> numbers = {};
  for (const std::size_t i : {kUtime, kStime, kStartTime, kVsize}) {
    const std::optional<std::uint64_t> number =
        i < fields.size() ? parse_u64(fields[i]) : std::nullopt;
    if (!number) return core::io_error(fmt::format("malformed /proc/self/stat: {}", *stat));
    numbers[i] = *number;
  }
  // VmRSS rather than the rss field of /proc/self/stat: kernels with per-CPU RSS counters report
  // an approximation there, several hundred KiB off.
  const core::Expected<std::uint64_t> resident = core::current_rss_bytes();
  if (!resident) return resident.status();
  const core::Expected<std::uint64_t> boot_time = read_boot_time();
  if (!boot_time) return boot_time.status();
  const core::Expected<std::uint64_t> open_fds = count_open_fds();
  if (!open_fds) return open_fds.status();
  rlimit fd_limit{};
  if (getrlimit(RLIMIT_NOFILE, &fd_limit) != 0) return core::io_error("getrlimit failed");

  const auto ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  return ProcessStats{
      .cpu_seconds = static_cast<double>(numbers[kUtime] + numbers[kStime]) / ticks_per_second,
      .resident_memory_bytes = *resident,
      .virtual_memory_bytes = numbers[kVsize],
      .start_time_seconds = static_cast<double>(*boot_time) +
                            static_cast<double>(numbers[kStartTime]) / ticks_per_second,
      .open_fds = *open_fds,
      .max_fds = fd_limit.rlim_cur,
  };
}

core::Status register_process_metrics(Registry& registry) {
  ProcessSeries series;
  const auto gauge = [&registry](const char* name, const char* help, Gauge*& out) {
    return take_series(registry.gauge({.name = name, .help = help}), out);
  };
  const std::initializer_list<core::Status> statuses = {
      take_series(registry.counter({.name = "process_cpu_seconds_total",
                                    .help = "Total user and system CPU time spent in seconds."}),
                  series.cpu_seconds),
      gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
            series.resident_memory_bytes),
      gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.",
            series.virtual_memory_bytes),
      gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
            series.start_time_seconds),
      gauge("process_open_fds", "Number of open file descriptors.", series.open_fds),
      gauge("process_max_fds", "Maximum number of open file descriptors.", series.max_fds),
  };
  for (const core::Status& status : statuses) {
    if (!status.ok()) return status;
  }
  registry.add_collector([series] {
    const core::Expected<ProcessStats> stats = read_process_stats();
    if (!stats) {
      core::Logger("obs").warn("cannot refresh the process metrics: {}", stats.status().message());
      return;
    }
    series.cpu_seconds->raise_to(stats->cpu_seconds);
    series.resident_memory_bytes->set(static_cast<double>(stats->resident_memory_bytes));
    series.virtual_memory_bytes->set(static_cast<double>(stats->virtual_memory_bytes));
    series.start_time_seconds->set(stats->start_time_seconds);
    series.open_fds->set(static_cast<double>(stats->open_fds));
    series.max_fds->set(static_cast<double>(stats->max_fds));
  });
  return {};
}

}  // namespace tars::obs
