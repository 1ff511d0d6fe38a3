// The auth repositories over a SqlEngine, for both backends; the SQL database owns them.
#pragma once

#include <memory>

#include "tars/store/auth_repository.h"
#include "tars/store/sql_engine.h"

namespace tars::store {

struct SqlAuthRepositories {
  std::unique_ptr<UserRepository> users = {};
  std::unique_ptr<ApiKeyRepository> api_keys = {};
  std::unique_ptr<SigningKeyRepository> signing_keys = {};
  std::unique_ptr<RevokedTokenRepository> revoked_tokens = {};
  std::unique_ptr<AuditRepository> audit_log = {};
};

// Repositories that run their statements on `engine`, which must outlive them.
SqlAuthRepositories make_sql_auth_repositories(SqlEngine& engine);

// One factory per source file (sql_auth_users.cc, ...), gathered by the one above.
std::unique_ptr<UserRepository> make_sql_user_repository(SqlEngine& engine);
std::unique_ptr<ApiKeyRepository> make_sql_api_key_repository(SqlEngine& engine);
std::unique_ptr<SigningKeyRepository> make_sql_signing_key_repository(SqlEngine& engine);
std::unique_ptr<RevokedTokenRepository> make_sql_revoked_token_repository(SqlEngine& engine);
std::unique_ptr<AuditRepository> make_sql_audit_repository(SqlEngine& engine);

}  // namespace tars::store
