// `tars env rollout`: replay an action sequence and print the trajectory as JSON lines in the
// format of the Gymnasium reference files, so it can be diffed against Gymnasium directly.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/kwargs.h"

namespace tars::app {

// One action read from a file: an index, or the values of a Box action.
struct FileAction {
  bool is_index = true;
  std::int64_t index = 0;
  std::vector<float> values;
  int line = 0;  // in the actions file, for error messages
};

// One action per line: an integer, or a JSON array of numbers; blank lines are skipped.
// Errors name the line.
core::Expected<std::vector<FileAction>> read_actions(std::istream& input);

struct RolloutRequest {
  std::string env_id;
  env::Kwargs kwargs;
  std::uint64_t seed = 0;
  std::string actions_source;  // shown in the header line
};

// Writes the header, reset and step lines; stops at the end of the episode. Returns the number
// of actions left unused because the episode ended first.
core::Expected<std::size_t> run_rollout(const RolloutRequest& request,
                                        const std::vector<FileAction>& actions, std::ostream& out);

}  // namespace tars::app
