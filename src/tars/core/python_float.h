// Python's repr() of a float: the shortest text that reads back to the same double, in fixed
// notation for exponents -4..15 and scientific otherwise ("1.0", "0.0001", "1e-05", "1e+16").
// Used where our JSON must be byte-identical to what Python's json.dumps writes.
#pragma once

#include <string>

namespace tars::core {

// NaN and infinities are written as json.dumps does: NaN, Infinity, -Infinity.
std::string python_float(double value);

}  // namespace tars::core
