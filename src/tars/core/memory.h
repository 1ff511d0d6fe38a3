// Process and system memory as Linux reports it, and a check that a large allocation fits before
// it is attempted (a clear error up front instead of an out-of-memory kill halfway through a run).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tars/core/status.h"

namespace tars::core {

// Memory that can still be allocated without swapping: MemAvailable from /proc/meminfo, lowered
// to the headroom of the process's cgroup (limit minus working set) when one sets a limit, since
// in a container MemAvailable reports the host's memory.
Expected<std::uint64_t> available_memory_bytes();
// The process's peak resident set size (VmHWM in /proc/self/status).
Expected<std::uint64_t> peak_rss_bytes();
// The process's current resident set size (VmRSS in /proc/self/status).
Expected<std::uint64_t> current_rss_bytes();

// Tells glibc's allocator to keep freed memory for reuse instead of returning it to the kernel
// after each large free: a server that builds 84 KB responses on several threads otherwise gives
// the pages back after every request and page-faults them in again on the next, which cost half
// of an evaluation-list request's CPU; a DDPG update on batches of 256 (temporaries of 256 KiB)
// ran 10x slower for the same reason. Keeps at most `retained_bytes` free per heap. `tars`
// calls it first thing, for every command.
void keep_freed_memory_for_reuse(std::uint64_t retained_bytes = std::uint64_t{128} << 20);

// "512 bytes", "3.0 KiB", "12.5 MiB", "1.50 GiB", "2.00 TiB" (binary units).
std::string format_bytes(std::uint64_t bytes);

// Fraction of the available memory one allocation may take: the rest is left to the other
// buffers, the networks, the environments and allocator overhead of the same process.
inline constexpr double kAllocationMemoryFraction = 0.9;

// OK when `bytes` fits in kAllocationMemoryFraction of available_memory_bytes(); otherwise an
// out_of_range error naming `what` and both sizes, e.g. "replay buffer (...) needs 29.80 GiB but
// only 20.10 GiB are available (90% of the 22.33 GiB this system has free)". When the available
// memory cannot be read (no /proc), the check passes: the allocation itself is then the check.
Status check_allocation(std::string_view what, std::uint64_t bytes);

}  // namespace tars::core
