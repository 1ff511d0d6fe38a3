# Compile options shared by every T.A.R.S. target, applied through the tars_options interface.
add_library(tars_options INTERFACE)
target_compile_options(tars_options INTERFACE -Wall -Wextra -Wpedantic)
target_include_directories(tars_options INTERFACE ${CMAKE_SOURCE_DIR}/src)

if(TARS_WERROR)
  target_compile_options(tars_options INTERFACE -Werror)
endif()

if(NOT TARS_PORTABLE)
  target_compile_options(tars_options INTERFACE -march=x86-64-v3)
endif()

# Environments must reproduce Gymnasium bit for bit: no contraction of a*b+c into FMA, which
# would round differently from NumPy.
target_compile_options(tars_options INTERFACE -ffp-contract=off)

if(TARS_SANITIZE)
  target_compile_options(tars_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(tars_options INTERFACE -fsanitize=address,undefined)
endif()

set(CMAKE_CXX_FLAGS_RELEASE "-O3 -DNDEBUG")

if(TARS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TARS_FUZZ needs clang (configure with CXX=clang++)")
  endif()
  # Coverage for libFuzzer in every target, AddressSanitizer to turn memory errors into crashes.
  target_compile_options(tars_options INTERFACE -fsanitize=fuzzer-no-link,address -g)
  target_link_options(tars_options INTERFACE -fsanitize=address)
endif()
