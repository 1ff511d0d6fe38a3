// What the auth tests share: a clock they move by hand, and a migrated SQLite database.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "tars/auth/auth_service.h"
#include "tars/auth/clock.h"
#include "tars/store/repository.h"
#include "temp_dir.h"

namespace tars::test {

// 2026-01-01T00:00:00Z.
inline const core::Timestamp kAuthEpoch = core::from_micros(1767225600000000);

// A clock that stands still until advanced; safe to read from several threads.
class ManualClock {
 public:
  explicit ManualClock(core::Timestamp start = kAuthEpoch) : micros_(core::to_micros(start)) {}
  core::Timestamp now() const { return core::from_micros(micros_.load()); }
  void advance(std::chrono::microseconds by) { micros_ += by.count(); }
  // A Clock reading this one; it must outlive the users of the Clock.
  auth::Clock clock() {
    return [this] { return now(); };
  }

 private:
  std::atomic<std::int64_t> micros_;
};

// A fresh SQLite database with every migration applied, in its own temporary directory.
class AuthTestDatabase {
 public:
  AuthTestDatabase();
  store::Database& operator*() { return *database_; }
  store::Database* operator->() { return database_.get(); }

 private:
  TempDir dir_;
  std::unique_ptr<store::Database> database_;
};

// Fast Argon2id limits for tests.
auth::AuthOptions fast_auth_options();

// An admin principal (user id 1) that did not come through login.
auth::Principal admin_principal();

}  // namespace tars::test
