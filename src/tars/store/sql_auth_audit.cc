// The audit log over SqlEngine, for both backends.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "tars/store/sql_auth.h"
#include "tars/store/sql_rows.h"

namespace tars::store {
namespace {

// Compact with sorted keys, whatever the backend stored (PostgreSQL's JSONB reformats).
std::string compact_json(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return json.is_discarded() ? text : json.dump();
}

core::Expected<AuditEntry> read_entry(const Row& row) {
  auto outcome = parse_audit_outcome(row.get_text(5));
  if (!outcome.ok()) return outcome.status();
  return AuditEntry{.id = row.get_int(0),
                    .ts = core::from_micros(row.get_int(1)),
                    .actor = row.get_text(2),
                    .action = row.get_text(3),
                    .target = row.get_text(4),
                    .outcome = *outcome,
                    .client_ip = row.get_text(6),
                    .details = compact_json(row.get_text(7))};
}

class SqlAuditRepository final : public AuditRepository {
 public:
  explicit SqlAuditRepository(SqlEngine& engine)
      : engine_(engine),
        backend_(engine.backend()),
        insert_(fmt::format(
            "INSERT INTO audit_log (ts, actor, action, target, outcome, client_ip, details) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}) RETURNING id",
            time_param(backend_, 1), placeholder(backend_, 2), placeholder(backend_, 3),
            placeholder(backend_, 4), placeholder(backend_, 5), placeholder(backend_, 6),
            placeholder(backend_, 7))) {}

  core::Expected<std::int64_t> append(const AuditEntry& entry) override {
    auto details = nlohmann::json::parse(entry.details, nullptr, false);
    if (!details.is_object()) return core::invalid_argument("details: not a JSON object");
    auto ids = select_rows<std::int64_t>(
        engine_, insert_,
        {core::to_micros(entry.ts), entry.actor, entry.action, entry.target,
         std::string(audit_outcome_name(entry.outcome)), entry.client_ip, details.dump()},
        read_id);
    if (!ids.ok()) return ids.status();
    return ids->front();
  }

  core::Expected<AuditPage> list(const AuditQuery& query) override {
    if (auto status = validate(query); !status.ok()) return status;
    SqlParams params;
    std::string where;
    auto add = [&](std::string_view condition, SqlValue value) {
      params.push_back(std::move(value));
      const int number = static_cast<int>(params.size());
      const bool time = condition.starts_with("ts");
      where += fmt::format("{} {} {}", where.empty() ? " WHERE" : " AND", condition,
                           time ? time_param(backend_, number) : placeholder(backend_, number));
    };
    if (query.actor) add("actor =", *query.actor);
    if (query.action) add("action =", *query.action);
    if (query.outcome) add("outcome =", std::string(audit_outcome_name(*query.outcome)));
    if (query.since) add("ts >=", core::to_micros(*query.since));
    if (query.until) add("ts <", core::to_micros(*query.until));

    AuditPage page{.limit = query.limit, .offset = query.offset};
    const int next = static_cast<int>(params.size()) + 1;
    const std::string page_sql = fmt::format(
        "SELECT id, {}, actor, action, target, outcome, client_ip, details FROM audit_log{} "
        "ORDER BY ts DESC, id DESC LIMIT {} OFFSET {}",
        time_column(backend_, "ts"), where, placeholder(backend_, next),
        placeholder(backend_, next + 1));
    SqlParams page_params = params;
    page_params.insert(page_params.end(), {std::int64_t{query.limit}, query.offset});
    // One transaction, so the total and the page see the same rows.
    auto status = engine_.read_transaction([&](SqlSession& session) {
      auto counted =
          query_int(session, "SELECT COUNT(*) FROM audit_log" + where, params, page.total);
      if (!counted.ok()) return counted;
      return query_rows<AuditEntry>(session, page_sql, page_params, read_entry, page.entries);
    });
    if (!status.ok()) return status;
    page.has_more = query.offset + static_cast<std::int64_t>(page.entries.size()) < page.total;
    return page;
  }

 private:
  SqlEngine& engine_;
  Backend backend_;
  std::string insert_;
};

}  // namespace

std::unique_ptr<AuditRepository> make_sql_audit_repository(SqlEngine& engine) {
  return std::make_unique<SqlAuditRepository>(engine);
}

}  // namespace tars::store
