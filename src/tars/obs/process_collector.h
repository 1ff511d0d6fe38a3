// The standard process metrics, named as the Go and Python clients name them, read from /proc
// at every scrape.
#pragma once

#include <cstdint>

#include "tars/core/status.h"
#include "tars/obs/registry.h"

namespace tars::obs {

// What the kernel reports about this process.
struct ProcessStats {
  double cpu_seconds = 0.0;                 // user plus system CPU time
  std::uint64_t resident_memory_bytes = 0;  // resident set size
  std::uint64_t virtual_memory_bytes = 0;   // virtual memory size
  double start_time_seconds = 0.0;          // start time, seconds since the Unix epoch
  std::uint64_t open_fds = 0;               // open file descriptors
  std::uint64_t max_fds = 0;                // soft limit on open file descriptors
};

// Reads /proc/self/stat, VmRSS in /proc/self/status, the boot time in /proc/stat, /proc/self/fd
// and RLIMIT_NOFILE.
core::Expected<ProcessStats> read_process_stats();

// Registers process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_start_time_seconds, process_open_fds and process_max_fds
// in `registry`, with a collector that refreshes them before every render (a failed read keeps
// the previous values and logs a warning).
core::Status register_process_metrics(Registry& registry);

}  // namespace tars::obs
