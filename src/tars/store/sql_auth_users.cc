// Users over SqlEngine, for both backends.
#include <fmt/format.h>

#include "tars/store/sql_auth.h"
#include "tars/store/sql_rows.h"

namespace tars::store {
namespace {

std::string select_users_sql(Backend backend) {
  return fmt::format("SELECT id, username, password_hash, role, disabled, {}, {} FROM users",
                     time_column(backend, "created_at"), time_column(backend, "updated_at"));
}

core::Expected<UserRecord> read_user(const Row& row) {
  auto role = parse_role(row.get_text(3));
  if (!role.ok()) return role.status();
  return UserRecord{.id = row.get_int(0),
                    .username = row.get_text(1),
                    .password_hash = row.get_text(2),
                    .role = *role,
                    .disabled = row.get_int(4) != 0,
                    .created_at = core::from_micros(row.get_int(5)),
                    .updated_at = core::from_micros(row.get_int(6))};
}

class SqlUserRepository final : public UserRepository {
 public:
  explicit SqlUserRepository(SqlEngine& engine)
      : engine_(engine),
        backend_(engine.backend()),
        select_(select_users_sql(backend_)),
        insert_(fmt::format(
            "INSERT INTO users (username, password_hash, role, disabled, created_at, updated_at) "
            "VALUES ({}, {}, {}, {}, {}, {}) ON CONFLICT (username) DO NOTHING RETURNING id",
            placeholder(backend_, 1), placeholder(backend_, 2), placeholder(backend_, 3),
            placeholder(backend_, 4), time_param(backend_, 5), time_param(backend_, 6))),
        update_(fmt::format(
            "UPDATE users SET password_hash = {}, role = {}, disabled = {}, updated_at = {} "
            "WHERE id = {} RETURNING id",
            placeholder(backend_, 1), placeholder(backend_, 2), placeholder(backend_, 3),
            time_param(backend_, 4), placeholder(backend_, 5))) {}

  core::Expected<std::int64_t> create(const UserRecord& user) override {
    auto ids = select_rows<std::int64_t>(
        engine_, insert_,
        {user.username, user.password_hash, std::string(role_name(user.role)),
         std::int64_t{user.disabled}, core::to_micros(user.created_at),
         core::to_micros(user.updated_at)},
        read_id);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) {
      return core::failed_precondition(fmt::format("username '{}' is taken", user.username));
    }
    return ids->front();
  }

  core::Status update(const UserRecord& user) override {
    auto ids = select_rows<std::int64_t>(
        engine_, update_,
        {user.password_hash, std::string(role_name(user.role)), std::int64_t{user.disabled},
         core::to_micros(user.updated_at), user.id},
        read_id);
    if (!ids.ok()) return ids.status();
    return ids->empty() ? core::not_found(fmt::format("no user {}", user.id)) : core::Status();
  }

  core::Expected<std::optional<UserRecord>> get(std::int64_t id) override {
    return select_first<UserRecord>(
        engine_, fmt::format("{} WHERE id = {}", select_, placeholder(backend_, 1)), {id},
        read_user);
  }

  core::Expected<std::optional<UserRecord>> find(const std::string& username) override {
    return select_first<UserRecord>(
        engine_, fmt::format("{} WHERE username = {}", select_, placeholder(backend_, 1)),
        {username}, read_user);
  }

  core::Expected<std::vector<UserRecord>> list() override {
    return select_rows<UserRecord>(engine_, select_ + " ORDER BY id", {}, read_user);
  }

  core::Expected<std::int64_t> count() override {
    auto counts = select_rows<std::int64_t>(engine_, "SELECT COUNT(*) FROM users", {}, read_id);
    if (!counts.ok()) return counts.status();
    return counts->front();
  }

 private:
  SqlEngine& engine_;
  Backend backend_;
  std::string select_;  // every column, no WHERE
  std::string insert_;
  std::string update_;
};

}  // namespace

std::unique_ptr<UserRepository> make_sql_user_repository(SqlEngine& engine) {
  return std::make_unique<SqlUserRepository>(engine);
}

SqlAuthRepositories make_sql_auth_repositories(SqlEngine& engine) {
  return {.users = make_sql_user_repository(engine),
          .api_keys = make_sql_api_key_repository(engine),
          .signing_keys = make_sql_signing_key_repository(engine),
          .revoked_tokens = make_sql_revoked_token_repository(engine),
          .audit_log = make_sql_audit_repository(engine)};
}

}  // namespace tars::store
