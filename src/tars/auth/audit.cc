#include "tars/auth/audit.h"

#include "tars/core/log.h"

namespace tars::auth {

AuditLog::AuditLog(store::AuditRepository& entries, Clock clock)
    : entries_(entries), clock_(std::move(clock)) {}

void AuditLog::write(const AuditEvent& event) {
  auto id = entries_.append({.ts = clock_(),
                             .actor = event.actor,
                             .action = event.action,
                             .target = event.target,
                             .outcome = event.outcome,
                             .client_ip = event.client_ip,
                             .details = event.details});
  if (!id.ok()) {
    core::Logger("auth").error("audit entry {} by {} on '{}' was not written: {}", event.action,
                               event.actor, event.target, id.status().message());
  }
}

}  // namespace tars::auth
