// Writes the audit log: who did what to what, from where, and how it ended.
#pragma once

#include <string>

#include "tars/auth/clock.h"
#include "tars/store/auth_repository.h"

namespace tars::auth {

// One audited event; the time is added when it is written.
struct AuditEvent {
  std::string actor = {};   // audit_actor(principal), the attempted username, or "anonymous"
  std::string action = {};  // e.g. "auth.login", "user.create"
  std::string target = {};  // e.g. "user:alice", "api_key:3", "signing_key:<kid>"; may be empty
  store::AuditOutcome outcome = store::AuditOutcome::kSuccess;
  std::string client_ip = {};
  std::string details = "{}";  // JSON object; never secrets
};

class AuditLog {
 public:
  AuditLog(store::AuditRepository& entries, Clock clock);

  // Appends the event stamped with the current time. A failure is logged and otherwise ignored:
  // the audited action has happened (or been refused) either way.
  void write(const AuditEvent& event);

 private:
  store::AuditRepository& entries_;
  Clock clock_;
};

}  // namespace tars::auth
