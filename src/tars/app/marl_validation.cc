#include "tars/app/marl_validation.h"

#include <fmt/format.h>
#include <stdlib.h>  // mkdtemp

#include <numeric>
#include <string>
#include <system_error>
#include <utility>

namespace tars::app {

namespace {
constexpr char kBestTeam[] = "best";
}  // namespace

core::Expected<BestTeamKeeper> BestTeamKeeper::create(int episodes) {
  if (episodes < 1) {
    return core::invalid_argument(
        fmt::format("validation episodes must be at least 1, got {}", episodes));
  }
  std::error_code error;
  const std::filesystem::path base = std::filesystem::temp_directory_path(error);
  if (error) return core::io_error("no temporary directory: " + error.message());
  std::string pattern = (base / "tars-marl-validation-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return core::io_error(
        fmt::format("cannot create a directory under {} for the best team", base.string()));
  }
  return BestTeamKeeper(pattern, episodes);
}

BestTeamKeeper::BestTeamKeeper(std::filesystem::path dir, int episodes) : dir_(std::move(dir)) {
  seeds_.resize(static_cast<std::size_t>(episodes));
  std::iota(seeds_.begin(), seeds_.end(), kValidationSeed);
}

BestTeamKeeper::BestTeamKeeper(BestTeamKeeper&& other) noexcept
    : dir_(std::exchange(other.dir_, {})),
      seeds_(std::move(other.seeds_)),
      history_(std::move(other.history_)),
      best_(other.best_) {}

BestTeamKeeper::~BestTeamKeeper() {
  if (dir_.empty()) return;
  std::error_code ignored;  // a leftover temporary directory is no reason to fail
  std::filesystem::remove_all(dir_, ignored);
}

core::Status BestTeamKeeper::validate(marl::Orchestrator& orchestrator, std::int64_t episode) {
  auto run = orchestrator.evaluate(seeds_);
  if (!run.ok()) return run.status();
  const std::vector<double>& rewards = run->episode_global_rewards;
  Validation validation{.episode = episode,
                        .global_reward = std::accumulate(rewards.begin(), rewards.end(), 0.0) /
                                         static_cast<double>(rewards.size())};
  for (const marl::AgentValues& returns : run->episode_returns) {
    for (std::size_t i = 0; i < returns.size(); ++i) {
      validation.returns[i] += returns[i] / static_cast<double>(run->episode_returns.size());
    }
  }
  history_.push_back(validation);
  if (best_ && validation.global_reward <= best_->global_reward) return {};
  const std::filesystem::path team = dir_ / kBestTeam;
  std::error_code error;
  std::filesystem::remove_all(team, error);
  if (error) return core::io_error("cannot replace the best team: " + error.message());
  if (core::Status status = orchestrator.save(team, /*replay_buffers=*/false); !status.ok()) {
    return status;
  }
  best_ = validation;
  return {};
}

core::Status BestTeamKeeper::copy_best(const std::filesystem::path& dir) const {
  if (!best_) return core::failed_precondition("no team has been validated");
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  if (!error) {
    std::filesystem::copy(dir_ / kBestTeam, dir, std::filesystem::copy_options::recursive, error);
  }
  if (error) {
    return core::io_error(
        fmt::format("cannot copy the best team to {}: {}", dir.string(), error.message()));
  }
  return {};
}

core::Status BestTeamKeeper::restore_best(marl::Orchestrator& orchestrator) const {
  if (!best_) return core::failed_precondition("no team has been validated");
  return orchestrator.load(dir_ / kBestTeam);
}

}  // namespace tars::app
