// Mixed strategy profiles: validation, the payoff of every pure deviation, regrets and
// exploitability (the Nash gap).
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "tars/core/status.h"
#include "tars/marl/game.h"

namespace tars::marl {

// One probability vector per player, one entry per action.
using Profile = std::vector<std::vector<double>>;

// How far a probability vector's sum may be from 1 to be accepted.
inline constexpr double kProbabilitySumTolerance = 1e-9;

// One vector per player with one finite entry >= 0 per action, summing to 1 within
// kProbabilitySumTolerance; the error names the player and the entry.
core::Status validate_profile(const NormalFormGame& game, const Profile& profile);

// The payoff of each pure action of each player against the others' mixed strategies,
// u_p(a, sigma_-p). Buffers are reused, so repeated compute() calls do not allocate; the cost is
// O(joint actions x players).
class DeviationPayoffs {
 public:
  explicit DeviationPayoffs(const NormalFormGame& game);

  // Precondition: `profile` has the game's shape (validate_profile).
  void compute(const Profile& profile);

  std::span<const double> values(std::size_t player) const {
    return {values_.data() + offsets_[player], game_->actions(player)};
  }
  // sum_a sigma_p(a) u_p(a, sigma_-p): player p's expected payoff under the profile.
  double expected(std::size_t player) const { return expected_[player]; }
  // max_a u_p(a, sigma_-p) and the lowest action reaching it.
  double best(std::size_t player) const { return values(player)[best_action_[player]]; }
  std::size_t best_action(std::size_t player) const { return best_action_[player]; }
  // best - expected: what player p gains by the best unilateral deviation (rounding below 0 is
  // clamped to 0).
  double regret(std::size_t player) const { return std::max(0.0, best(player) - expected(player)); }
  // Sum of the players' regrets: the Nash gap, 0 exactly at an equilibrium.
  double exploitability() const;

 private:
  const NormalFormGame* game_;
  std::vector<std::size_t> offsets_;  // start of each player's block in values_
  std::vector<double> values_;
  std::vector<double> expected_;
  std::vector<std::size_t> best_action_;
  std::vector<std::size_t> joint_;  // odometer over joint actions
  std::vector<double> prefix_;      // prefix_[q] = product of sigma_r(a_r) for r < q
};

struct ProfileEvaluation {
  std::vector<double> payoffs = {};  // expected payoff per player
  std::vector<double> regrets = {};  // best-response payoff minus expected payoff, per player
  double exploitability = 0.0;       // sum of the regrets (the Nash gap)
};

// Validates `profile` and evaluates it.
core::Expected<ProfileEvaluation> evaluate_profile(const NormalFormGame& game,
                                                   const Profile& profile);

}  // namespace tars::marl
