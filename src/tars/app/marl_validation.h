// Validation during `tars marl train` (as SB3's EvalCallback keeps a best model): the team,
// acting deterministically and not learning, plays held-out seeded episodes, and the best team
// so far is saved (weights and training state, no replay memories) to a temporary directory that
// is removed with the keeper, so that it can be evaluated after training. Online learning makes
// the team fluctuate from one snapshot to the next; the best validated one is the team to deploy.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "tars/core/status.h"
#include "tars/marl/orchestrator.h"

namespace tars::app {

// Validation episodes run ops_sim seeds kValidationSeed, kValidationSeed + 1, ... (the serve
// mode's team evaluation uses the same ones); training runs seed + episode, so they are held out
// while seed + episodes stays below it.
inline constexpr std::uint64_t kValidationSeed = 1000000;

struct Validation {
  std::int64_t episode = 0;        // training episodes completed when it ran
  double global_reward = 0.0;      // mean per step
  marl::AgentValues returns = {};  // mean per-agent episode return
};

class BestTeamKeeper {
 public:
  static core::Expected<BestTeamKeeper> create(int episodes);
  BestTeamKeeper(BestTeamKeeper&& other) noexcept;
  BestTeamKeeper& operator=(BestTeamKeeper&&) = delete;
  BestTeamKeeper(const BestTeamKeeper&) = delete;
  BestTeamKeeper& operator=(const BestTeamKeeper&) = delete;
  ~BestTeamKeeper();

  // Evaluates the team on the validation seeds and saves it when it beats every earlier one.
  core::Status validate(marl::Orchestrator& orchestrator, std::int64_t episode);
  // Loads the best team saved so far into `orchestrator`; an error when none was.
  core::Status restore_best(marl::Orchestrator& orchestrator) const;
  // Copies the best team's checkpoint to `dir`, replacing what is there.
  core::Status copy_best(const std::filesystem::path& dir) const;

  const std::vector<Validation>& history() const { return history_; }
  std::optional<Validation> best() const { return best_; }

 private:
  BestTeamKeeper(std::filesystem::path dir, int episodes);

  std::filesystem::path dir_;  // empty once moved from
  std::vector<std::uint64_t> seeds_;
  std::vector<Validation> history_;
  std::optional<Validation> best_;
};

}  // namespace tars::app
