// The agent history repository behaves the same on both backends: a SQLite file and a real
// PostgreSQL server.
#include "tars/store/agent_history.h"

#include <gtest/gtest.h>

#include <limits>

#include "store/store_test_support.h"

namespace tars::store {
namespace {

using std::chrono::seconds;

// 2026-01-01T00:00:00Z plus a fraction, so microseconds must survive the round trip.
const core::Timestamp kT0 = core::from_micros(1767225600000000 + 123456);

AgentEpisodeRecord episode(std::string agent_id, std::int64_t number, double reward = 1.5) {
  return {.agent_id = std::move(agent_id),
          .episode = number,
          .steps = 200 + number,
          .reward = reward,
          .reward_mean_10 = reward / 2,
          .reward_mean_100 = reward / 4,
          .metrics = R"({"loss": 0.125, "epsilon": 0.5})",
          .ts = kT0 + seconds(number)};
}

class AgentHistoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    opened_ = test::open_test_database(GetParam());
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
  }
  AgentHistoryRepository& history() { return opened_.database->agent_history(); }

  AgentHistoryPage page(const std::string& agent_id, int limit = 100, std::int64_t offset = 0) {
    auto listed = history().list({.agent_id = agent_id, .limit = limit, .offset = offset});
    EXPECT_TRUE(listed.ok()) << listed.status().to_string();
    return listed.ok() ? *listed : AgentHistoryPage{};
  }

  static std::vector<std::int64_t> episodes_of(const AgentHistoryPage& page) {
    std::vector<std::int64_t> episodes;
    for (const auto& entry : page.entries) episodes.push_back(entry.episode);
    return episodes;
  }

  test::TestDatabase opened_;
};

TEST_P(AgentHistoryTest, RecordsRoundTripExactlyNewestEpisodeFirst) {
  // Appended out of order, and episode 1 twice: the later row of an episode comes first.
  std::vector<AgentEpisodeRecord> stored;
  for (std::int64_t number : {1, 3, 2, 1}) {
    auto record = episode("policy", number, -123.456789012345 * static_cast<double>(number));
    auto id = history().append(record);
    ASSERT_TRUE(id.ok()) << id.status().to_string();
    record.id = *id;
    stored.push_back(record);
  }
  EXPECT_LT(stored[0].id, stored[3].id);

  const auto all = page("policy");
  EXPECT_EQ(all.total, 4);
  EXPECT_EQ(all.limit, 100);
  EXPECT_EQ(all.offset, 0);
  EXPECT_FALSE(all.has_more);
  ASSERT_EQ(all.entries.size(), 4u);
  EXPECT_EQ(episodes_of(all), (std::vector<std::int64_t>{3, 2, 1, 1}));
  EXPECT_EQ(all.entries[2].id, stored[3].id);
  EXPECT_EQ(all.entries[3].id, stored[0].id);

  // Every field, metrics compact with sorted keys, the timestamp to the microsecond.
  auto expected = stored[1];
  expected.metrics = R"({"epsilon":0.5,"loss":0.125})";
  EXPECT_EQ(all.entries[0], expected);
  EXPECT_EQ(all.entries[0].ts, kT0 + seconds(3));
}

TEST_P(AgentHistoryTest, MetricsRoundTripCompactWithSortedKeys) {
  const std::string metrics =
      R"({ "noise_sigma": 0.2, "entropy": 1.0986122886681098, "kl": 1e-05,
           "clip_fraction": 0.0, "explained_variance": -0.25, "loss": {"actor": -1.5,
           "critic": 0.30000000000000004}, "epsilon": null, "steps": 123456789012 })";
  auto record = episode("resource", 0);
  record.metrics = metrics;
  ASSERT_TRUE(history().append(record).ok());
  record.metrics = "{}";
  ASSERT_TRUE(history().append(record).ok());

  const auto listed = page("resource");
  ASSERT_EQ(listed.entries.size(), 2u);
  EXPECT_EQ(listed.entries[0].metrics, "{}");
  EXPECT_EQ(listed.entries[1].metrics,
            R"({"clip_fraction":0.0,"entropy":1.0986122886681098,"epsilon":null,)"
            R"("explained_variance":-0.25,"kl":1e-05,"loss":{"actor":-1.5,)"
            R"("critic":0.30000000000000004},"noise_sigma":0.2,"steps":123456789012})");
}

TEST_P(AgentHistoryTest, PagesAndCountsTheAgentsRowsOnly) {
  for (std::int64_t number = 0; number < 5; ++number) {
    ASSERT_TRUE(history().append(episode("ethical", number)).ok());
    ASSERT_TRUE(history().append(episode("consensus", number)).ok());
  }
  ASSERT_TRUE(history().append(episode("consensus", 5)).ok());

  const auto ethical = page("ethical");
  EXPECT_EQ(ethical.total, 5);
  EXPECT_EQ(episodes_of(ethical), (std::vector<std::int64_t>{4, 3, 2, 1, 0}));
  for (const auto& entry : ethical.entries) EXPECT_EQ(entry.agent_id, "ethical");
  EXPECT_EQ(page("consensus").total, 6);
  const auto unknown = page("nobody");
  EXPECT_EQ(unknown.total, 0);
  EXPECT_TRUE(unknown.entries.empty());
  EXPECT_FALSE(unknown.has_more);
  EXPECT_EQ(page("Ethical").total, 0);  // agent ids are exact

  const auto first = page("ethical", 1);
  EXPECT_EQ(first.total, 5);
  EXPECT_EQ(first.limit, 1);
  EXPECT_TRUE(first.has_more);
  EXPECT_EQ(episodes_of(first), (std::vector<std::int64_t>{4}));

  const auto middle = page("ethical", 2, 2);
  EXPECT_EQ(middle.offset, 2);
  EXPECT_TRUE(middle.has_more);
  EXPECT_EQ(episodes_of(middle), (std::vector<std::int64_t>{2, 1}));

  const auto last = page("ethical", 2, 4);
  EXPECT_FALSE(last.has_more);
  EXPECT_EQ(episodes_of(last), (std::vector<std::int64_t>{0}));

  const auto past_the_end = page("ethical", 10, 7);
  EXPECT_EQ(past_the_end.total, 5);
  EXPECT_TRUE(past_the_end.entries.empty());
  EXPECT_FALSE(past_the_end.has_more);
}

TEST_P(AgentHistoryTest, BatchWritesTheFourAgentsOfAnEpisodeAllOrNothing) {
  const std::vector<std::string> agents{"policy", "consensus", "ethical", "resource"};
  std::vector<AgentEpisodeRecord> batch;
  for (const auto& agent : agents) batch.push_back(episode(agent, 7));
  auto ids = history().append_batch(batch);
  ASSERT_TRUE(ids.ok()) << ids.status().to_string();
  ASSERT_EQ(ids->size(), 4u);
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const auto listed = page(agents[i]);
    ASSERT_EQ(listed.entries.size(), 1u) << agents[i];
    EXPECT_EQ(listed.entries[0].id, (*ids)[i]) << agents[i];
  }
  EXPECT_TRUE(history().append_batch({}).value().empty());

  // The last record is invalid: none of the batch is written.
  batch.clear();
  for (const auto& agent : agents) batch.push_back(episode(agent, 8));
  batch.back().reward_mean_100 = std::numeric_limits<double>::quiet_NaN();
  auto failed = history().append_batch(batch);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(failed.status().message(), "records[3].reward_mean_100: must be finite, got nan");
  batch.back().reward_mean_100 = 0.0;
  batch[1].metrics = "[]";
  EXPECT_EQ(history().append_batch(batch).status().message(),
            "records[1].metrics: not a JSON object");
  if (GetParam() == "postgresql") {
    // Valid here, refused by the server (not UTF-8) after three rows went in: rolled back.
    batch[1].metrics = "{}";
    batch.back().agent_id = "resource\xff";
    auto refused = history().append_batch(batch);
    EXPECT_FALSE(refused.ok());  // and the loop below finds no episode 8
  }
  for (const auto& agent : agents) {
    EXPECT_EQ(episodes_of(page(agent)), (std::vector<std::int64_t>{7})) << agent;
  }
}

TEST_P(AgentHistoryTest, InvalidRecordsAndQueriesAreRejectedNamingTheField) {
  const auto rejected = [&](AgentEpisodeRecord record) {
    auto id = history().append(record);
    EXPECT_FALSE(id.ok());
    if (id.ok()) return std::string("accepted");
    EXPECT_EQ(id.status().code(), core::ErrorCode::kInvalidArgument);
    return id.status().message();
  };
  auto record = episode("policy", 1);
  record.agent_id.clear();
  EXPECT_EQ(rejected(record), "agent_id: must not be empty");
  record = episode("policy", -1);
  EXPECT_EQ(rejected(record), "episode: must be >= 0, got -1");
  record = episode("policy", 1);
  record.steps = -5;
  EXPECT_EQ(rejected(record), "steps: must be >= 0, got -5");
  record = episode("policy", 1, std::numeric_limits<double>::infinity());
  EXPECT_EQ(rejected(record), "reward: must be finite, got inf");
  record = episode("policy", 1);
  record.reward_mean_10 = -std::numeric_limits<double>::infinity();
  EXPECT_EQ(rejected(record), "reward_mean_10: must be finite, got -inf");
  record = episode("policy", 1);
  record.reward_mean_100 = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(rejected(record), "reward_mean_100: must be finite, got nan");
  for (const char* metrics : {"", "[1]", "0.5", "\"loss\"", "{\"loss\": 0.1", "null"}) {
    record = episode("policy", 1);
    record.metrics = metrics;
    EXPECT_EQ(rejected(record), "metrics: not a JSON object") << metrics;
  }
  EXPECT_EQ(page("policy").total, 0);

  const auto list_error = [&](const AgentHistoryQuery& query) {
    auto listed = history().list(query);
    EXPECT_FALSE(listed.ok());
    if (listed.ok()) return std::string("accepted");
    EXPECT_EQ(listed.status().code(), core::ErrorCode::kInvalidArgument);
    return listed.status().message();
  };
  EXPECT_EQ(list_error({}), "agent_id: must not be empty");
  EXPECT_EQ(list_error({.agent_id = "policy", .limit = 0}),
            "limit: must be between 1 and 1000, got 0");
  EXPECT_EQ(list_error({.agent_id = "policy", .limit = 1001}),
            "limit: must be between 1 and 1000, got 1001");
  EXPECT_EQ(list_error({.agent_id = "policy", .offset = -1}), "offset: must be >= 0, got -1");
  EXPECT_TRUE(history().list({.agent_id = "policy", .limit = 1000}).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, AgentHistoryTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tars::store
