// API keys over SqlEngine, for both backends.
#include <fmt/format.h>

#include "tars/store/sql_auth.h"
#include "tars/store/sql_rows.h"

namespace tars::store {
namespace {

core::Expected<ApiKeyRecord> read_api_key(const Row& row) {
  auto role = parse_role(row.get_text(4));
  if (!role.ok()) return role.status();
  return ApiKeyRecord{.id = row.get_int(0),
                      .name = row.get_text(1),
                      .prefix = row.get_text(2),
                      .secret_hash = row.get_text(3),
                      .role = *role,
                      .owner_id = row.get_int(5),
                      .created_at = core::from_micros(row.get_int(6)),
                      .expires_at = optional_timestamp(row, 7),
                      .revoked_at = optional_timestamp(row, 8),
                      .last_used_at = optional_timestamp(row, 9)};
}

class SqlApiKeyRepository final : public ApiKeyRepository {
 public:
  explicit SqlApiKeyRepository(SqlEngine& engine)
      : engine_(engine),
        backend_(engine.backend()),
        select_(fmt::format(
            "SELECT id, name, prefix, secret_hash, role, owner_id, {}, {}, {}, {} FROM api_keys",
            time_column(backend_, "created_at"), time_column(backend_, "expires_at"),
            time_column(backend_, "revoked_at"), time_column(backend_, "last_used_at"))),
        insert_(fmt::format(
            "INSERT INTO api_keys (name, prefix, secret_hash, role, owner_id, created_at, "
            "expires_at) VALUES ({}, {}, {}, {}, {}, {}, {}) "
            "ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING RETURNING id",
            placeholder(backend_, 1), placeholder(backend_, 2), placeholder(backend_, 3),
            placeholder(backend_, 4), placeholder(backend_, 5), time_param(backend_, 6),
            time_param(backend_, 7))),
        revoke_(fmt::format(
            "UPDATE api_keys SET revoked_at = {} WHERE id = {} AND revoked_at IS NULL RETURNING id",
            time_param(backend_, 1), placeholder(backend_, 2))) {}

  core::Expected<std::int64_t> create(const ApiKeyRecord& key) override {
    std::int64_t id = 0;
    auto status =
        engine_.transaction([&](SqlSession& session) { return insert(session, key, id); });
    if (!status.ok()) return status;
    return id;
  }

  core::Expected<std::int64_t> rotate(std::int64_t id, const ApiKeyRecord& next) override {
    std::int64_t new_id = 0;
    auto status = engine_.transaction([&](SqlSession& session) {
      auto revoked = revoke(session, id, next.created_at);
      return revoked.ok() ? insert(session, next, new_id) : revoked;
    });
    if (!status.ok()) return status;
    return new_id;
  }

  core::Status revoke(std::int64_t id, core::Timestamp at) override {
    return engine_.transaction([&](SqlSession& session) { return revoke(session, id, at); });
  }

  core::Status touch(std::int64_t id, core::Timestamp at) override {
    return engine_.transaction([&](SqlSession& session) {
      return session.execute(fmt::format("UPDATE api_keys SET last_used_at = {} WHERE id = {}",
                                         time_param(backend_, 1), placeholder(backend_, 2)),
                             {core::to_micros(at), id});
    });
  }

  core::Expected<std::optional<ApiKeyRecord>> get(std::int64_t id) override {
    return select_first<ApiKeyRecord>(
        engine_, fmt::format("{} WHERE id = {}", select_, placeholder(backend_, 1)), {id},
        read_api_key);
  }

  core::Expected<std::optional<ApiKeyRecord>> find_by_prefix(const std::string& prefix) override {
    return select_first<ApiKeyRecord>(
        engine_, fmt::format("{} WHERE prefix = {}", select_, placeholder(backend_, 1)), {prefix},
        read_api_key);
  }

  core::Expected<std::vector<ApiKeyRecord>> list(std::optional<std::int64_t> owner_id) override {
    const std::string where =
        owner_id ? fmt::format(" WHERE owner_id = {}", placeholder(backend_, 1)) : "";
    return select_rows<ApiKeyRecord>(
        engine_, fmt::format("{}{} ORDER BY created_at DESC, id DESC", select_, where),
        owner_id ? SqlParams{*owner_id} : SqlParams{}, read_api_key);
  }

 private:
  core::Status insert(SqlSession& session, const ApiKeyRecord& key, std::int64_t& id) {
    std::vector<std::int64_t> ids;
    auto status = query_rows<std::int64_t>(
        session, insert_,
        {key.name, key.prefix, key.secret_hash, std::string(role_name(key.role)), key.owner_id,
         core::to_micros(key.created_at), optional_micros(key.expires_at)},
        read_id, ids);
    if (!status.ok()) return status;
    if (ids.empty()) {
      return core::failed_precondition(fmt::format("an API key named '{}' exists", key.name));
    }
    id = ids.front();
    return {};
  }

  // Revokes a key that is not revoked yet; otherwise says why not.
  core::Status revoke(SqlSession& session, std::int64_t id, core::Timestamp at) {
    std::vector<std::int64_t> ids;
    auto status =
        query_rows<std::int64_t>(session, revoke_, {core::to_micros(at), id}, read_id, ids);
    if (!status.ok() || !ids.empty()) return status;
    std::int64_t known = 0;
    status = query_int(
        session,
        fmt::format("SELECT COUNT(*) FROM api_keys WHERE id = {}", placeholder(backend_, 1)), {id},
        known);
    if (!status.ok()) return status;
    return known == 0 ? core::not_found(fmt::format("no API key {}", id))
                      : core::failed_precondition(fmt::format("API key {} is revoked", id));
  }

  SqlEngine& engine_;
  Backend backend_;
  std::string select_;  // every column, no WHERE
  std::string insert_;
  std::string revoke_;
};

}  // namespace

std::unique_ptr<ApiKeyRepository> make_sql_api_key_repository(SqlEngine& engine) {
  return std::make_unique<SqlApiKeyRepository>(engine);
}

}  // namespace tars::store
