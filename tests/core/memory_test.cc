#include "tars/core/memory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <vector>

namespace tars::core {
namespace {

using ::testing::HasSubstr;

constexpr std::uint64_t kMiB = 1024 * 1024;

TEST(MemoryTest, AvailableMemoryIsPlausible) {
  const Expected<std::uint64_t> available = available_memory_bytes();
  ASSERT_TRUE(available.ok()) << available.status().to_string();
  EXPECT_GT(*available, 16 * kMiB);
  EXPECT_LT(*available, std::uint64_t{1} << 50);  // 1 PiB
}

TEST(MemoryTest, RssGrowsWhenMemoryIsTouched) {
  const Expected<std::uint64_t> before = current_rss_bytes();
  ASSERT_TRUE(before.ok()) << before.status().to_string();
  EXPECT_GT(*before, kMiB);
  std::vector<char> block(64 * kMiB);
  std::memset(block.data(), 1, block.size());  // touch every page so it becomes resident
  const Expected<std::uint64_t> after = current_rss_bytes();
  const Expected<std::uint64_t> peak = peak_rss_bytes();
  ASSERT_TRUE(after.ok() && peak.ok());
  EXPECT_GE(*after, *before + 48 * kMiB);
  EXPECT_GE(*peak, *after);
  // Keeps the block observable so the writes are not optimised away.
  EXPECT_EQ(std::accumulate(block.begin(), block.begin() + 4096, 0), 4096);
}

TEST(MemoryTest, FormatsBytesInBinaryUnits) {
  EXPECT_EQ(format_bytes(512), "512 bytes");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(5 * kMiB / 2), "2.5 MiB");
  EXPECT_EQ(format_bytes(3 * 1024 * kMiB / 2), "1.50 GiB");
  EXPECT_EQ(format_bytes(std::uint64_t{2} << 40), "2.00 TiB");
}

TEST(MemoryTest, CheckAllocationAcceptsSmallAndRejectsAbsurdSizes) {
  EXPECT_TRUE(check_allocation("a small table", kMiB).ok());
  const Status status = check_allocation("an absurd table", std::uint64_t{1} << 62);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kOutOfRange);
  EXPECT_THAT(status.message(), HasSubstr("an absurd table needs 4194304.00 TiB but only"));
  EXPECT_THAT(status.message(), HasSubstr("are available (90% of the"));
}

}  // namespace
}  // namespace tars::core
