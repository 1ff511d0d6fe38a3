# Reference data (Gymnasium trajectories, NumPy vectors) lives in `shared/` next to the project
# checkout. A clone made elsewhere (`git clone /work/main /tmp/x`) finds it next to the checkout
# it was cloned from. TARS_SHARED_DIR (cache variable or environment) overrides the search.
set(_tars_shared_candidates "$ENV{TARS_SHARED_DIR}" "${CMAKE_SOURCE_DIR}/../shared")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} config --get remote.origin.url
                  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE _tars_origin OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_tars_origin AND IS_DIRECTORY "${_tars_origin}")
    list(APPEND _tars_shared_candidates "${_tars_origin}/../shared")
  endif()
endif()

if(NOT TARS_SHARED_DIR)
  foreach(_dir IN LISTS _tars_shared_candidates)
    if(_dir AND EXISTS "${_dir}/reference/numpy_rng.json")
      get_filename_component(_dir "${_dir}" REALPATH)
      set(TARS_SHARED_DIR "${_dir}" CACHE PATH "Directory holding reference/ (Gymnasium, NumPy)")
      break()
    endif()
  endforeach()
endif()

if(TARS_BUILD_TESTS AND NOT EXISTS "${TARS_SHARED_DIR}/reference/numpy_rng.json")
  message(FATAL_ERROR "Reference data not found (looked in: ${_tars_shared_candidates}). "
                      "Set TARS_SHARED_DIR to the directory that holds reference/.")
endif()
message(STATUS "Reference data: ${TARS_SHARED_DIR}")
