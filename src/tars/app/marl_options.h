// Command-line flags that configure the orchestrator, shared by `tars marl train` and
// `tars serve`.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "tars/core/status.h"
#include "tars/marl/orchestrator.h"

namespace tars::app {

struct OrchestratorFlags {
  std::uint64_t seed = 0;
  int episode_length = 0;  // 0: ops_sim's default
  std::string coordination = "nash";
  std::string pareto_rule = "weighted_sum";
  std::vector<std::string> team_reward_shares;  // "B" (every agent) or "agent=B", in order
  std::vector<std::string> sets;                // agent.key=value
};

void add_orchestrator_flags(CLI::App& command, OrchestratorFlags& flags);

// Validated options; errors name the flag.
core::Expected<marl::OrchestratorOptions> orchestrator_options(const OrchestratorFlags& flags);

}  // namespace tars::app
