// The time the auth module reads: injectable, so tests move it instead of sleeping.
#pragma once

#include <functional>

#include "tars/core/time.h"

namespace tars::auth {

// Returns the current time.
using Clock = std::function<core::Timestamp()>;

// The system clock (core::now).
inline Clock system_clock() {
  return [] { return core::now(); };
}

}  // namespace tars::auth
