#include "tars/obs/process_collector.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/memory.h"

namespace tars::obs {
namespace {

using ::testing::HasSubstr;

constexpr double kMiB = 1024 * 1024;

// The value of the unlabelled sample `name` in a rendered registry; NaN when it is missing.
double sample_value(const std::string& text, std::string_view name) {
  // Built with append(): GCC 12 reports a false -Wrestrict on chains of operator+ here.
  std::string prefix = "\n";
  prefix.append(name).append(" ");
  const std::size_t start = text.find(prefix);
  if (start == std::string::npos) return std::nan("");
  return std::stod(text.substr(start + prefix.size()));
}

// Keeps the CPU busy for about `seconds` of CPU time.
double burn_cpu(double seconds) {
  const std::clock_t end = std::clock() + static_cast<std::clock_t>(seconds * CLOCKS_PER_SEC);
  volatile double sink = 0.0;
  while (std::clock() < end) {
    for (int i = 0; i < 10000; ++i) sink = sink + std::sqrt(static_cast<double>(i));
  }
  return sink;
}

TEST(ProcessCollectorTest, ReadsPlausibleStats) {
  burn_cpu(0.05);
  const core::Expected<ProcessStats> stats = read_process_stats();
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  EXPECT_GT(stats->cpu_seconds, 0.0);
  EXPECT_GT(stats->resident_memory_bytes, std::uint64_t{1} << 20);
  EXPECT_GE(stats->virtual_memory_bytes, stats->resident_memory_bytes);
  EXPECT_GE(stats->open_fds, 3U);  // stdin, stdout, stderr
  EXPECT_GE(stats->max_fds, stats->open_fds);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  // This process started moments ago (the boot time is whole seconds, hence the slack).
  EXPECT_LE(stats->start_time_seconds, now + 2.0);
  EXPECT_GT(stats->start_time_seconds, now - 3600.0);
}

TEST(ProcessCollectorTest, CpuTimeGrowsWithWork) {
  const core::Expected<ProcessStats> before = read_process_stats();
  burn_cpu(0.2);
  const core::Expected<ProcessStats> after = read_process_stats();
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_GE(after->cpu_seconds - before->cpu_seconds, 0.1);
}

TEST(ProcessCollectorTest, CountsOpenFileDescriptors) {
  const core::Expected<ProcessStats> before = read_process_stats();
  const int fd = open("/proc/self/stat", O_RDONLY);
  ASSERT_GE(fd, 0);
  const core::Expected<ProcessStats> during = read_process_stats();
  close(fd);
  ASSERT_TRUE(before.ok() && during.ok());
  EXPECT_EQ(during->open_fds, before->open_fds + 1);
}

TEST(ProcessCollectorTest, RegistersMetricsRefreshedAtEachScrape) {
  Registry registry;
  ASSERT_TRUE(register_process_metrics(registry).ok());
  const std::string text = registry.render();
  for (const char* type :
       {"process_cpu_seconds_total counter", "process_resident_memory_bytes gauge",
        "process_virtual_memory_bytes gauge", "process_start_time_seconds gauge",
        "process_open_fds gauge", "process_max_fds gauge"}) {
    EXPECT_THAT(text, HasSubstr(std::string("# TYPE ") + type + "\n"));
  }
  for (const char* name : {"process_resident_memory_bytes", "process_virtual_memory_bytes",
                           "process_start_time_seconds", "process_open_fds", "process_max_fds"}) {
    EXPECT_GT(sample_value(text, name), 0.0) << name;
  }
  const double cpu = sample_value(text, "process_cpu_seconds_total");
  burn_cpu(0.2);
  EXPECT_GT(sample_value(registry.render(), "process_cpu_seconds_total"), cpu);
}

TEST(ProcessCollectorTest, ResidentMemoryFollowsWhatProcReports) {
  Registry registry;
  ASSERT_TRUE(register_process_metrics(registry).ok());
  const double before = sample_value(registry.render(), "process_resident_memory_bytes");
  std::vector<char> block(64 * kMiB);
  std::memset(block.data(), 1, block.size());  // touch every page so it becomes resident
  const double after = sample_value(registry.render(), "process_resident_memory_bytes");
  const core::Expected<std::uint64_t> vm_rss = core::current_rss_bytes();
  ASSERT_TRUE(vm_rss.ok());
  EXPECT_GE(after, before + 60 * kMiB);
  EXPECT_NEAR(after, static_cast<double>(*vm_rss), kMiB);
  // Keeps the block observable so the writes are not optimised away.
  EXPECT_EQ(std::accumulate(block.begin(), block.begin() + 4096, 0), 4096);
}

TEST(ProcessCollectorTest, RegisteringTwiceReusesTheFamilies) {
  Registry registry;
  ASSERT_TRUE(register_process_metrics(registry).ok());
  EXPECT_TRUE(register_process_metrics(registry).ok());
}

TEST(ProcessCollectorTest, FailsWhenANameIsTakenByAnotherType) {
  Registry registry;
  ASSERT_TRUE(registry.counter({.name = "process_open_fds", .help = "Not a gauge."}).ok());
  const core::Status status = register_process_metrics(registry);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("metric 'process_open_fds' is already registered"));
}

}  // namespace
}  // namespace tars::obs
