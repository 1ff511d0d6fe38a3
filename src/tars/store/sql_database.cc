// Repositories and migrations written once over SqlEngine, for both backends.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "tars/store/migration.h"
#include "tars/store/record_json.h"
#include "tars/store/sql_agent_history.h"
#include "tars/store/sql_auth.h"
#include "tars/store/sql_engine.h"
#include "tars/store/sql_rows.h"
#include "tars/store/timed_sql_engine.h"

namespace tars::store {
namespace {

class SqlDatabase final : public Database, public EvaluationRepository, public BaselineRepository {
 public:
  explicit SqlDatabase(std::unique_ptr<TimedSqlEngine> engine)
      : engine_(std::move(engine)),
        backend_(engine_->backend()),
        auth_(make_sql_auth_repositories(*engine_)),
        agent_history_(make_sql_agent_history_repository(*engine_)) {}

  const char* backend() const override {
    return backend_ == Backend::kSqlite ? "sqlite" : "postgresql";
  }
  EvaluationRepository& evaluations() override { return *this; }
  BaselineRepository& baselines() override { return *this; }
  UserRepository& users() override { return *auth_.users; }
  ApiKeyRepository& api_keys() override { return *auth_.api_keys; }
  SigningKeyRepository& signing_keys() override { return *auth_.signing_keys; }
  RevokedTokenRepository& revoked_tokens() override { return *auth_.revoked_tokens; }
  AuditRepository& audit_log() override { return *auth_.audit_log; }
  AgentHistoryRepository& agent_history() override { return *agent_history_; }
  void observe_queries(QueryObserver observer) override {
    engine_->set_observer(std::move(observer));
  }

  core::Status ping() override {
    return engine_->without_transaction([](SqlSession& session) {
      std::int64_t one = 0;
      return query_int(session, "SELECT 1", {}, one);
    });
  }

  core::Expected<std::vector<int>> migrate() override {
    auto applied = applied_migrations();
    if (!applied.ok()) return applied.status();
    std::vector<int> versions;
    for (const auto& migration : pending_migrations(all_migrations(), *applied)) {
      const SqlParams record{std::int64_t{migration.version}, migration.name,
                             core::to_micros(core::now())};
      const std::string insert = fmt::format(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES ({}, {}, {})",
          placeholder(backend_, 1), placeholder(backend_, 2), time_param(backend_, 3));
      auto apply = [&](SqlSession& session) {
        if (migration.transactional()) {
          if (auto status = session.execute_script(migration.sql); !status.ok()) return status;
        } else {
          for (const auto& statement : split_statements(migration.sql)) {
            if (auto status = session.execute(statement); !status.ok()) return status;
          }
        }
        return session.execute(insert, record);
      };
      auto status = migration.transactional() ? engine_->transaction(apply)
                                              : engine_->without_transaction(apply);
      if (!status.ok()) {
        return core::Status(status.code(), fmt::format("migration {} failed: {}", migration.name,
                                                       status.message()));
      }
      versions.push_back(migration.version);
    }
    return versions;
  }

  core::Expected<std::vector<MigrationInfo>> migrations() override {
    auto applied = applied_migrations();
    if (!applied.ok()) return applied.status();
    return migration_infos(all_migrations(), *applied);
  }

  core::Status analyze() override {
    const char* sql =
        backend_ == Backend::kSqlite ? "ANALYZE evaluations" : "VACUUM (ANALYZE) evaluations";
    return engine_->without_transaction(
        [sql](SqlSession& session) { return session.execute(sql); });
  }

  core::Expected<std::string> explain_list(const EvaluationQuery& query) override {
    if (auto status = validate(query); !status.ok()) return status;
    const auto sql = list_evaluations_sql(backend_, query);
    const bool sqlite = backend_ == Backend::kSqlite;
    std::string plan;
    auto status = engine_->read_transaction([&](SqlSession& session) {
      return session.query((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql.page_sql,
                           sql.page_params, [&](const Row& row) {
                             plan += row.get_text(sqlite ? 3 : 0) + "\n";
                             return core::Status();
                           });
    });
    if (!status.ok()) return status;
    return plan;
  }

  core::Expected<std::int64_t> create(const EvaluationRecord& record) override {
    std::int64_t id = 0;
    auto status = engine_->transaction([&](SqlSession& session) {
      auto inserted = insert_evaluation(session, record);
      if (inserted.ok()) id = *inserted;
      return inserted.status();
    });
    if (!status.ok()) return status;
    return id;
  }

  core::Expected<std::int64_t> create_many(const std::vector<EvaluationRecord>& records) override {
    auto status = engine_->transaction([&](SqlSession& session) {
      for (const auto& record : records) {
        if (auto inserted = insert_evaluation(session, record); !inserted.ok()) {
          return inserted.status();
        }
      }
      return core::Status();
    });
    if (!status.ok()) return status;
    return static_cast<std::int64_t>(records.size());
  }

  core::Status update(const EvaluationRecord& record) override {
    return engine_->transaction([&](SqlSession& session) {
      std::vector<std::string> stored;
      // FOR UPDATE (PostgreSQL) keeps a concurrent writer out until this one commits.
      auto status = query_rows<std::string>(
          session,
          fmt::format("SELECT status FROM evaluations WHERE id = {}{}", placeholder(backend_, 1),
                      backend_ == Backend::kPostgres ? " FOR UPDATE" : ""),
          {record.id}, [](const Row& row) { return row.get_text(0); }, stored);
      if (!status.ok()) return status;
      if (stored.empty()) return core::not_found(fmt::format("no evaluation {}", record.id));
      if (auto current = parse_status(stored.front()); current.ok() && is_terminal(*current)) {
        return core::failed_precondition(
            fmt::format("evaluation {} is already {}", record.id, stored.front()));
      }
      auto params = evaluation_params(record);
      params.emplace_back(record.id);
      if (status = session.execute(update_evaluation_sql(backend_), params); !status.ok()) {
        return status;
      }
      status =
          session.execute(fmt::format("DELETE FROM evaluation_episodes WHERE evaluation_id = {}",
                                      placeholder(backend_, 1)),
                          {record.id});
      return status.ok() ? insert_episodes(session, record.id, record.episodes) : status;
    });
  }

  core::Expected<std::optional<EvaluationRecord>> get(std::int64_t id,
                                                      bool with_episodes) override {
    std::vector<EvaluationRecord> rows;
    auto status = engine_->read_transaction([&](SqlSession& session) {
      auto found = query_rows<EvaluationRecord>(
          session,
          fmt::format("{} WHERE id = {}", select_evaluation_sql(backend_),
                      placeholder(backend_, 1)),
          {id}, read_evaluation, rows);
      if (!found.ok() || rows.empty() || !with_episodes) return found;
      return query_rows<EpisodeRecord>(session, select_episodes_sql(backend_), {id}, read_episode,
                                       rows.front().episodes);
    });
    if (!status.ok()) return status;
    if (rows.empty()) return std::optional<EvaluationRecord>();
    return std::optional(std::move(rows.front()));
  }

  core::Expected<EvaluationPage> list(const EvaluationQuery& query) override {
    return list_page<EvaluationRecord>(
        query, [&](SqlSession& session, const ListSql& sql, std::vector<EvaluationRecord>& page) {
          return query_rows<EvaluationRecord>(session, sql.page_sql, sql.page_params,
                                              read_evaluation, page);
        });
  }

  core::Expected<EvaluationJsonPage> list_json(const EvaluationQuery& query) override {
    return list_page<std::string>(
        query, [&](SqlSession& session, const ListSql& sql, std::vector<std::string>& page) {
          struct Listed {
            std::int64_t created_at;
            std::int64_t id;
            std::string json;  // empty for a row written before record_json existed
          };
          std::vector<Listed> rows;
          auto status = session.query(sql.page_json_sql, sql.page_params, [&](const Row& row) {
            const std::int64_t id = row.get_int(0);
            rows.push_back(
                {row.get_int(1), id,
                 row.is_null(2) ? std::string() : evaluation_json(id, row.get_text_view(2))});
            return core::Status();
          });
          std::sort(rows.begin(), rows.end(), [](const Listed& a, const Listed& b) {
            return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);  // newest first
          });
          for (auto& listed : rows) {
            if (status.ok() && listed.json.empty())
              status = read_undocumented(session, listed.id, listed.json);
            page.push_back(std::move(listed.json));
          }
          return status;
        });
  }

  core::Expected<std::optional<BaselineRecord>> current(const std::string& agent_type,
                                                        const std::string& environment) override {
    auto rows = baselines_where(agent_type, environment, " AND rank = 1");
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return std::optional<BaselineRecord>();
    return std::optional(rows->front());
  }

  core::Expected<std::vector<BaselineRecord>> history(const std::string& agent_type,
                                                      const std::string& environment) override {
    return baselines_where(agent_type, environment, " ORDER BY rank");
  }

  core::Expected<std::optional<BaselineRecord>> update_if_better(const BaselineRecord& candidate,
                                                                 bool force) override {
    std::optional<BaselineRecord> promoted;
    const SqlParams key{candidate.agent_type, candidate.environment};
    const std::string where = fmt::format("WHERE agent_type = {} AND environment = {}",
                                          placeholder(backend_, 1), placeholder(backend_, 2));
    auto status = engine_->transaction([&](SqlSession& session) {
      if (backend_ == Backend::kPostgres) {
        // Serialises promotions of one (agent_type, environment), even before its first row
        // exists; SQLite's BEGIN IMMEDIATE already serialises all writers.
        auto locked =
            session.execute("SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2))", key);
        if (!locked.ok()) return locked;
      }
      std::vector<BaselineRecord> best;
      auto status = query_rows<BaselineRecord>(
          session, select_baselines_sql(backend_) + " AND rank = 1", key, read_baseline, best);
      if (!status.ok()) return status;
      if (!force && !best.empty() &&
          candidate.metrics.mean_reward <= best.front().metrics.mean_reward) {
        return core::Status();
      }
      BaselineRecord stored = candidate;
      std::int64_t version = 0;
      status = query_int(
          session, fmt::format("SELECT COALESCE(MAX(version), 0) + 1 FROM baselines {}", where),
          key, version);
      if (!status.ok()) return status;
      // Two steps, so the unique (agent_type, environment, rank) never sees two equal ranks.
      for (const char* shift : {"-(rank + 1)", "-rank"}) {
        status =
            session.execute(fmt::format("UPDATE baselines SET rank = {} {}", shift, where), key);
        if (!status.ok()) return status;
      }
      stored.version = static_cast<int>(version);
      stored.rank = 1;
      stored.created_at = stored.updated_at = core::now();
      auto id = session.insert(insert_baseline_sql(backend_), baseline_params(stored));
      if (!id.ok()) return id.status();
      stored.id = *id;
      promoted = std::move(stored);
      return core::Status();
    });
    if (!status.ok()) return status;
    return promoted;
  }

 private:
  std::vector<Migration> all_migrations() const {
    return backend_ == Backend::kSqlite ? sqlite_migrations() : postgres_migrations();
  }

  core::Expected<std::map<int, core::Timestamp>> applied_migrations() {
    const char* create =
        backend_ == Backend::kSqlite
            ? "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
            : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)";
    const std::string select = fmt::format("SELECT version, {} FROM schema_migrations",
                                           time_column(backend_, "applied_at"));
    std::vector<std::pair<int, core::Timestamp>> rows;
    auto status = engine_->without_transaction([&](SqlSession& session) {
      auto created = session.execute(create);
      if (!created.ok()) return created;
      return query_rows<std::pair<int, core::Timestamp>>(
          session, select, {},
          [](const Row& row) {
            return std::pair(static_cast<int>(row.get_int(0)), core::from_micros(row.get_int(1)));
          },
          rows);
    });
    if (!status.ok()) return status;
    return std::map<int, core::Timestamp>(rows.begin(), rows.end());
  }

  core::Expected<std::int64_t> insert_evaluation(SqlSession& session,
                                                 const EvaluationRecord& record) {
    auto id = session.insert(insert_evaluation_sql(backend_), evaluation_params(record));
    if (!id.ok()) return id;
    if (auto status = insert_episodes(session, *id, record.episodes); !status.ok()) return status;
    return id;
  }

  core::Status insert_episodes(SqlSession& session, std::int64_t evaluation_id,
                               const std::vector<EpisodeRecord>& episodes) {
    const std::string sql = insert_episode_sql(backend_);
    for (const auto& episode : episodes) {
      if (auto status = session.execute(sql, episode_params(evaluation_id, episode));
          !status.ok()) {
        return status;
      }
    }
    return {};
  }

  // A row written before record_json existed, built from its columns.
  core::Status read_undocumented(SqlSession& session, std::int64_t id, std::string& json) {
    std::vector<EvaluationRecord> rows;
    auto status = query_rows<EvaluationRecord>(
        session,
        fmt::format("{} WHERE id = {}", select_evaluation_sql(backend_), placeholder(backend_, 1)),
        {id}, read_evaluation, rows);
    if (status.ok() && !rows.empty()) json = json_text(rows.front());
    return status;
  }

  // The count and one page in one read transaction, so both see the same rows.
  template <typename Evaluation, typename ReadPage>
  core::Expected<Page<Evaluation>> list_page(const EvaluationQuery& query,
                                             const ReadPage& read_page) {
    if (auto status = validate(query); !status.ok()) return status;
    const auto sql = list_evaluations_sql(backend_, query);
    Page<Evaluation> page{.limit = query.limit, .offset = query.offset};
    auto status = engine_->read_transaction([&](SqlSession& session) {
      page.evaluations.clear();
      auto counted = query_int(session, sql.count_sql, sql.count_params, page.total);
      if (!counted.ok()) return counted;
      return read_page(session, sql, page.evaluations);
    });
    if (!status.ok()) return status;
    page.has_more = query.offset + static_cast<std::int64_t>(page.evaluations.size()) < page.total;
    return page;
  }

  core::Expected<std::vector<BaselineRecord>> baselines_where(const std::string& agent_type,
                                                              const std::string& environment,
                                                              std::string_view tail) {
    std::vector<BaselineRecord> rows;
    auto status = engine_->read_transaction([&](SqlSession& session) {
      return query_rows<BaselineRecord>(session,
                                        fmt::format("{}{}", select_baselines_sql(backend_), tail),
                                        {agent_type, environment}, read_baseline, rows);
    });
    if (!status.ok()) return status;
    return rows;
  }

  std::unique_ptr<TimedSqlEngine> engine_;
  Backend backend_;
  SqlAuthRepositories auth_;  // over *engine_, so declared after it

  std::unique_ptr<AgentHistoryRepository> agent_history_;  // over *engine_ as well
};

}  // namespace

std::unique_ptr<Database> make_sql_database(std::unique_ptr<SqlEngine> engine) {
  return std::make_unique<SqlDatabase>(std::make_unique<TimedSqlEngine>(std::move(engine)));
}

}  // namespace tars::store
