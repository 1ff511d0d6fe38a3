// What the orchestrator keeps per agent and episode (its training statistics), and the storage
// interface that serves them to history queries (GET /api/v1/agents/{id}/history). Database
// (repository.h) hands the repository out; sql_agent_history.cc implements it for both backends.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tars/core/status.h"
#include "tars/core/time.h"
#include "tars/store/repository.h"

namespace tars::store {

// One agent's statistics at the end of one episode.
struct AgentEpisodeRecord {
  std::int64_t id = 0;           // assigned by the database
  std::string agent_id = {};     // e.g. "policy", "consensus", "ethical", "resource"; not empty
  std::int64_t episode = 0;      // the orchestrator's episode number, >= 0
  std::int64_t steps = 0;        // environment steps of the episode, >= 0
  double reward = 0.0;           // the episode's return; finite
  double reward_mean_10 = 0.0;   // mean return of the last 10 episodes (fewer at first); finite
  double reward_mean_100 = 0.0;  // ... of the last 100 episodes; finite
  // JSON object of the learner's statistics (loss, epsilon, entropy, kl, clip_fraction,
  // explained_variance, noise_sigma, ...); stored compact with sorted keys.
  std::string metrics = "{}";
  core::Timestamp ts{};  // when the episode ended

  bool operator==(const AgentEpisodeRecord&) const = default;
};

// One agent's history, a page at a time.
struct AgentHistoryQuery {
  std::string agent_id = {};      // required
  int limit = kDefaultListLimit;  // 1..kMaxListLimit
  std::int64_t offset = 0;
};

// One page, newest episode first (episode DESC, id DESC).
struct AgentHistoryPage {
  std::vector<AgentEpisodeRecord> entries = {};
  std::int64_t total = 0;  // rows of the agent
  int limit = 0;
  std::int64_t offset = 0;
  bool has_more = false;
};

// Checks agent_id, episode, steps, the rewards (finite) and metrics (a JSON object); the error
// names the field.
core::Status validate(const AgentEpisodeRecord& record);
// Checks agent_id, limit and offset; the error names the field.
core::Status validate(const AgentHistoryQuery& query);

class AgentHistoryRepository {
 public:
  virtual ~AgentHistoryRepository() = default;

  // Inserts the record (its id is ignored); returns the id, or invalid_argument naming the field
  // when validate(record) fails.
  virtual core::Expected<std::int64_t> append(const AgentEpisodeRecord& record) = 0;
  // Inserts every record (the four agents' rows of one episode) in one transaction: all or none.
  // Returns the ids in the order of `records`; an invalid record fails the batch with
  // invalid_argument naming it, e.g. "records[2].reward: must be finite, got nan".
  virtual core::Expected<std::vector<std::int64_t>> append_batch(
      const std::vector<AgentEpisodeRecord>& records) = 0;
  virtual core::Expected<AgentHistoryPage> list(const AgentHistoryQuery& query) = 0;
};

}  // namespace tars::store
