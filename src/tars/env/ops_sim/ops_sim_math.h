// Small helpers shared by ops_sim's dynamics and its observation encoding (internal).
#pragma once

#include <algorithm>

namespace tars::env::ops_detail {

// x / (x + ref): maps [0, inf) onto [0, 1); ref maps to 0.5.
inline double squash(double x, double ref) { return x > 0.0 ? x / (x + ref) : 0.0; }
// num / den, 0 when den is 0.
inline double ratio(double num, double den) { return den > 0.0 ? num / den : 0.0; }
// An observation feature: clamped to [-1, 1] and stored as float32.
inline float feature(double x) { return static_cast<float>(std::clamp(x, -1.0, 1.0)); }

}  // namespace tars::env::ops_detail
