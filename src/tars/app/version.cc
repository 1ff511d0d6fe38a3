#include "tars/app/version.h"

#include <fmt/format.h>

namespace tars::app {

std::string version_string() { return TARS_VERSION; }

std::string build_description() {
#if defined(__AVX2__) && defined(__FMA__)
  constexpr const char* kIsa = "x86-64-v3 (AVX2, FMA)";
#else
  constexpr const char* kIsa = "portable x86-64";
#endif
  return fmt::format("g++ {}.{}.{}, {} build, {}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__,
                     TARS_BUILD_TYPE, kIsa);
}

}  // namespace tars::app
