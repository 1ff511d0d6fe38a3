// Per-agent, per-episode statistics over SqlEngine, for both backends.
#include "tars/store/sql_agent_history.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "tars/store/sql_rows.h"

namespace tars::store {
namespace {

// Compact with sorted keys, whatever the backend stored (PostgreSQL's JSONB reformats).
std::string compact_json(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return json.is_discarded() ? text : json.dump();
}

AgentEpisodeRecord read_record(const Row& row) {
  return {.id = row.get_int(0),
          .agent_id = row.get_text(1),
          .episode = row.get_int(2),
          .steps = row.get_int(3),
          .reward = row.get_double(4),
          .reward_mean_10 = row.get_double(5),
          .reward_mean_100 = row.get_double(6),
          .metrics = compact_json(row.get_text(7)),
          .ts = core::from_micros(row.get_int(8))};
}

// The record's columns after id, in insert order; metrics compact with sorted keys.
SqlParams record_params(const AgentEpisodeRecord& record) {
  return {record.agent_id,
          record.episode,
          record.steps,
          record.reward,
          record.reward_mean_10,
          record.reward_mean_100,
          compact_json(record.metrics),
          core::to_micros(record.ts)};
}

class SqlAgentHistoryRepository final : public AgentHistoryRepository {
 public:
  explicit SqlAgentHistoryRepository(SqlEngine& engine)
      : engine_(engine),
        backend_(engine.backend()),
        insert_(fmt::format(
            "INSERT INTO agent_episodes (agent_id, episode, steps, reward, reward_mean_10, "
            "reward_mean_100, metrics, ts) VALUES ({}, {}, {}, {}, {}, {}, {}, {}) RETURNING id",
            placeholder(backend_, 1), placeholder(backend_, 2), placeholder(backend_, 3),
            placeholder(backend_, 4), placeholder(backend_, 5), placeholder(backend_, 6),
            placeholder(backend_, 7), time_param(backend_, 8))),
        count_(fmt::format("SELECT COUNT(*) FROM agent_episodes WHERE agent_id = {}",
                           placeholder(backend_, 1))),
        page_(fmt::format(
            "SELECT id, agent_id, episode, steps, reward, reward_mean_10, reward_mean_100, "
            "metrics, {} FROM agent_episodes WHERE agent_id = {} "
            "ORDER BY episode DESC, id DESC LIMIT {} OFFSET {}",
            time_column(backend_, "ts"), placeholder(backend_, 1), placeholder(backend_, 2),
            placeholder(backend_, 3))) {}

  core::Expected<std::int64_t> append(const AgentEpisodeRecord& record) override {
    if (auto status = validate(record); !status.ok()) return status;
    auto ids = insert({record});
    if (!ids.ok()) return ids.status();
    return ids->front();
  }

  core::Expected<std::vector<std::int64_t>> append_batch(
      const std::vector<AgentEpisodeRecord>& records) override {
    // Every record is checked before the transaction starts.
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (auto status = validate(records[i]); !status.ok()) {
        return core::Status(status.code(), fmt::format("records[{}].{}", i, status.message()));
      }
    }
    if (records.empty()) return std::vector<std::int64_t>();
    return insert(records);
  }

  core::Expected<AgentHistoryPage> list(const AgentHistoryQuery& query) override {
    if (auto status = validate(query); !status.ok()) return status;
    AgentHistoryPage page{.limit = query.limit, .offset = query.offset};
    // One transaction, so the total and the page see the same rows.
    auto status = engine_.read_transaction([&](SqlSession& session) {
      page.entries.clear();
      auto counted = query_int(session, count_, {query.agent_id}, page.total);
      if (!counted.ok()) return counted;
      return query_rows<AgentEpisodeRecord>(
          session, page_, {query.agent_id, std::int64_t{query.limit}, query.offset}, read_record,
          page.entries);
    });
    if (!status.ok()) return status;
    page.has_more = query.offset + static_cast<std::int64_t>(page.entries.size()) < page.total;
    return page;
  }

 private:
  // Valid records, in one transaction; their ids in order.
  core::Expected<std::vector<std::int64_t>> insert(const std::vector<AgentEpisodeRecord>& records) {
    std::vector<std::int64_t> ids;
    auto status = engine_.transaction([&](SqlSession& session) {
      ids.clear();  // a retried transaction starts over
      for (const auto& record : records) {
        auto inserted =
            query_rows<std::int64_t>(session, insert_, record_params(record), read_id, ids);
        if (!inserted.ok()) return inserted;
      }
      return core::Status();
    });
    if (!status.ok()) return status;
    return ids;
  }

  SqlEngine& engine_;
  Backend backend_;
  std::string insert_;
  std::string count_;
  std::string page_;
};

}  // namespace

std::unique_ptr<AgentHistoryRepository> make_sql_agent_history_repository(SqlEngine& engine) {
  return std::make_unique<SqlAgentHistoryRepository>(engine);
}

}  // namespace tars::store
