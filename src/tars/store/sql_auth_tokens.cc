// JWT signing keys and revoked tokens over SqlEngine, for both backends.
#include <fmt/format.h>

#include "tars/store/sql_auth.h"
#include "tars/store/sql_rows.h"

namespace tars::store {
namespace {

SigningKeyRecord read_signing_key(const Row& row) {
  return {.kid = row.get_text(0),
          .secret = row.get_text(1),
          .created_at = core::from_micros(row.get_int(2)),
          .retired_at = optional_timestamp(row, 3),
          .invalidated_at = optional_timestamp(row, 4)};
}

// How many rows a statement ending in RETURNING produced.
core::Expected<std::int64_t> count_returned(SqlEngine& engine, const std::string& sql,
                                            const SqlParams& params) {
  std::int64_t rows = 0;
  auto status = engine.transaction([&](SqlSession& session) {
    return session.query(sql, params, [&](const Row&) {
      ++rows;
      return core::Status();
    });
  });
  if (!status.ok()) return status;
  return rows;
}

class SqlSigningKeyRepository final : public SigningKeyRepository {
 public:
  explicit SqlSigningKeyRepository(SqlEngine& engine)
      : engine_(engine),
        backend_(engine.backend()),
        insert_(fmt::format(
            "INSERT INTO signing_keys (kid, secret, created_at) VALUES ({}, {}, {})",
            placeholder(backend_, 1), placeholder(backend_, 2), time_param(backend_, 3))) {}

  core::Expected<std::vector<SigningKeyRecord>> list() override {
    return select_rows<SigningKeyRecord>(
        engine_,
        fmt::format("SELECT kid, secret, {}, {}, {} FROM signing_keys "
                    "ORDER BY created_at DESC, kid DESC",
                    time_column(backend_, "created_at"), time_column(backend_, "retired_at"),
                    time_column(backend_, "invalidated_at")),
        {}, read_signing_key);
  }

  core::Status add(const SigningKeyRecord& key) override {
    return engine_.transaction([&](SqlSession& session) { return insert(session, key); });
  }

  core::Status rotate(const SigningKeyRecord& next) override {
    return engine_.transaction([&](SqlSession& session) {
      auto retired =
          session.execute(fmt::format("UPDATE signing_keys SET retired_at = {} "
                                      "WHERE retired_at IS NULL AND invalidated_at IS NULL",
                                      time_param(backend_, 1)),
                          {core::to_micros(next.created_at)});
      return retired.ok() ? insert(session, next) : retired;
    });
  }

  core::Status invalidate(const std::string& kid, core::Timestamp at) override {
    auto rows = count_returned(
        engine_,
        fmt::format("UPDATE signing_keys SET invalidated_at = {0}, retired_at = "
                    "COALESCE(retired_at, {0}) WHERE kid = {1} AND invalidated_at IS NULL "
                    "RETURNING kid",
                    time_param(backend_, 1), placeholder(backend_, 2)),
        {core::to_micros(at), kid});
    if (!rows.ok()) return rows.status();
    return *rows == 0 ? core::not_found(fmt::format("no valid signing key '{}'", kid))
                      : core::Status();
  }

 private:
  core::Status insert(SqlSession& session, const SigningKeyRecord& key) {
    return session.execute(insert_, {key.kid, key.secret, core::to_micros(key.created_at)});
  }

  SqlEngine& engine_;
  Backend backend_;
  std::string insert_;
};

class SqlRevokedTokenRepository final : public RevokedTokenRepository {
 public:
  explicit SqlRevokedTokenRepository(SqlEngine& engine)
      : engine_(engine), backend_(engine.backend()) {}

  core::Expected<bool> revoke(const std::string& jti, core::Timestamp expires_at) override {
    auto rows =
        count_returned(engine_,
                       fmt::format("INSERT INTO revoked_tokens (jti, expires_at) VALUES ({}, {}) "
                                   "ON CONFLICT (jti) DO NOTHING RETURNING jti",
                                   placeholder(backend_, 1), time_param(backend_, 2)),
                       {jti, core::to_micros(expires_at)});
    if (!rows.ok()) return rows.status();
    return *rows == 1;
  }

  core::Expected<std::int64_t> purge_expired(core::Timestamp now) override {
    return count_returned(
        engine_,
        fmt::format("DELETE FROM revoked_tokens WHERE expires_at < {} RETURNING jti",
                    time_param(backend_, 1)),
        {core::to_micros(now)});
  }

 private:
  SqlEngine& engine_;
  Backend backend_;
};

}  // namespace

std::unique_ptr<SigningKeyRepository> make_sql_signing_key_repository(SqlEngine& engine) {
  return std::make_unique<SqlSigningKeyRepository>(engine);
}

std::unique_ptr<RevokedTokenRepository> make_sql_revoked_token_repository(SqlEngine& engine) {
  return std::make_unique<SqlRevokedTokenRepository>(engine);
}

}  // namespace tars::store
