// The storage interfaces every module uses; src/tars/store/sqlite and .../postgres implement
// them, and only the app knows which one is in use.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tars/core/status.h"
#include "tars/core/time.h"
#include "tars/store/records.h"

namespace tars::store {

inline constexpr int kDefaultListLimit = 100;  // DB_QUERY_DEFAULT_LIMIT
inline constexpr int kMaxListLimit = 1000;

// Filters of the evaluation list; unset ones match everything.
struct EvaluationQuery {
  std::optional<std::string> agent_id = {};
  std::optional<std::string> agent_type = {};
  std::optional<std::string> environment = {};
  std::optional<EvaluationStatus> status = {};
  std::optional<core::Timestamp> created_since = {};  // inclusive
  std::optional<core::Timestamp> created_until = {};  // exclusive
  int limit = kDefaultListLimit;                      // 1..kMaxListLimit
  std::int64_t offset = 0;
};

// One page, newest first (created_at DESC, id DESC), without episodes.
template <typename Evaluation>
struct Page {
  std::vector<Evaluation> evaluations = {};
  std::int64_t total = 0;  // rows matching the filters
  int limit = 0;
  std::int64_t offset = 0;
  bool has_more = false;
};
using EvaluationPage = Page<EvaluationRecord>;
// Each evaluation as the JSON text store::json_text writes (record_json.h).
using EvaluationJsonPage = Page<std::string>;

// Checks limit and offset; the error names the field.
core::Status validate(const EvaluationQuery& query);

class EvaluationRepository {
 public:
  virtual ~EvaluationRepository() = default;

  // Inserts the record (its id is ignored) with its episodes in one transaction; returns the id.
  virtual core::Expected<std::int64_t> create(const EvaluationRecord& record) = 0;
  // Inserts many records in one transaction (load tests); returns how many were written.
  virtual core::Expected<std::int64_t> create_many(
      const std::vector<EvaluationRecord>& records) = 0;
  // Writes every field of an existing evaluation and replaces its episodes, in one transaction.
  // Fails with not_found for an unknown id and failed_precondition when the stored status is
  // already terminal (completed, failed, cancelled): a finished evaluation never changes.
  virtual core::Status update(const EvaluationRecord& record) = 0;
  // nullopt when there is no such id.
  virtual core::Expected<std::optional<EvaluationRecord>> get(std::int64_t id,
                                                              bool with_episodes) = 0;
  virtual core::Expected<EvaluationPage> list(const EvaluationQuery& query) = 0;
  // The same page as JSON, mostly read ready-made from the table rather than built from columns.
  virtual core::Expected<EvaluationJsonPage> list_json(const EvaluationQuery& query) = 0;
};

class BaselineRepository {
 public:
  virtual ~BaselineRepository() = default;

  // The rank-1 baseline of (agent_type, environment), if any.
  virtual core::Expected<std::optional<BaselineRecord>> current(const std::string& agent_type,
                                                                const std::string& environment) = 0;
  // Every baseline of (agent_type, environment), best rank first.
  virtual core::Expected<std::vector<BaselineRecord>> history(const std::string& agent_type,
                                                              const std::string& environment) = 0;
  // Atomically: when there is no baseline, or `candidate.metrics.mean_reward` beats the rank-1
  // one (or `force`), shifts every rank down by one and inserts the candidate as rank 1 with the
  // next version. Returns the stored baseline, or nullopt when the candidate was not better.
  virtual core::Expected<std::optional<BaselineRecord>> update_if_better(
      const BaselineRecord& candidate, bool force = false) = 0;
};

// The auth module's repositories (auth_repository.h).
class UserRepository;
class ApiKeyRepository;
class SigningKeyRepository;
class RevokedTokenRepository;
class AuditRepository;
// The orchestrator's per-agent, per-episode statistics (agent_history.h).
class AgentHistoryRepository;

struct MigrationInfo {
  int version = 0;
  std::string name = {};  // file name without extension, e.g. "0001_evaluations"
  std::optional<core::Timestamp> applied_at = {};  // nullopt: not applied yet
};

// A connected database: its repositories and its schema.
// Told the label (query_label: "select evaluations") and duration of every statement.
using QueryObserver = std::function<void(const std::string& query, double seconds)>;

class Database {
 public:
  virtual ~Database() = default;

  // Times every statement from now on (for tars_db_query_duration_seconds); call it before the
  // database is used from several threads.
  virtual void observe_queries(QueryObserver observer) = 0;

  virtual const char* backend() const = 0;  // "sqlite" or "postgresql"
  // Applies every migration not yet recorded in schema_migrations, in order, each on its own.
  // Returns the versions applied now.
  virtual core::Expected<std::vector<int>> migrate() = 0;
  // Every known migration and whether it is applied.
  virtual core::Expected<std::vector<MigrationInfo>> migrations() = 0;
  // A round trip to the server (or the file); ok when reachable.
  virtual core::Status ping() = 0;

  // Refreshes the planner's statistics and, on PostgreSQL, the visibility map that index-only
  // scans (the list query's COUNT) rely on. Run after a bulk load such as `tars db seed`.
  virtual core::Status analyze() = 0;
  // The backend's plan for list(query), to check which index serves it.
  virtual core::Expected<std::string> explain_list(const EvaluationQuery& query) = 0;

  virtual EvaluationRepository& evaluations() = 0;
  virtual BaselineRepository& baselines() = 0;
  virtual UserRepository& users() = 0;
  virtual ApiKeyRepository& api_keys() = 0;
  virtual SigningKeyRepository& signing_keys() = 0;
  virtual RevokedTokenRepository& revoked_tokens() = 0;
  virtual AuditRepository& audit_log() = 0;
  virtual AgentHistoryRepository& agent_history() = 0;
};

}  // namespace tars::store
