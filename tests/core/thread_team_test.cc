#include "tars/core/thread_team.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace tars::core {
namespace {

TEST(ThreadTeamTest, RunsEveryChunkOncePerCall) {
  ThreadTeam team(3);
  ASSERT_EQ(team.size(), 3);
  std::vector<std::atomic<int>> counts(3);
  for (int round = 0; round < 1000; ++round) {
    team.run([&](int chunk) { counts[chunk].fetch_add(1); });
  }
  for (const auto& count : counts) EXPECT_EQ(count.load(), 1000);
}

TEST(ThreadTeamTest, RunReturnsOnlyAfterAllChunksFinished) {
  ThreadTeam team(2);
  std::vector<int> results(2, 0);
  for (int round = 1; round <= 500; ++round) {
    team.run([&](int chunk) { results[chunk] = round; });
    ASSERT_EQ(results[0], round);
    ASSERT_EQ(results[1], round);
  }
}

TEST(ThreadTeamTest, SizeOneRunsInline) {
  ThreadTeam team(1);
  int calls = 0;
  team.run([&](int chunk) {
    EXPECT_EQ(chunk, 0);
    ++calls;
  });
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace tars::core
