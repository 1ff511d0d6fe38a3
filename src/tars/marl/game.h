// A normal-form game: n >= 2 players, each with its own number of actions, and one dense payoff
// tensor per player, row-major over the joint action (the last player's action varies fastest).
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string_view>
#include <vector>

#include "tars/core/status.h"

namespace tars::marl {

// Bounds that keep a game's memory and the solvers' work predictable.
inline constexpr std::size_t kMaxJointActions = 1'000'000;
inline constexpr std::size_t kMaxPlayers = 64;

class NormalFormGame {
 public:
  // `payoffs[p]` holds player p's payoff for every joint action (size = product of
  // `action_counts`). Rejects fewer than 2 players, empty action sets, more than
  // kMaxJointActions joint actions, wrong tensor sizes and non-finite payoffs.
  static core::Expected<NormalFormGame> create(std::vector<std::size_t> action_counts,
                                               std::vector<std::vector<double>> payoffs);
  // Two players: `row[i][j]` and `column[i][j]` are the payoffs when row plays i and column j.
  static core::Expected<NormalFormGame> bimatrix(const std::vector<std::vector<double>>& row,
                                                 const std::vector<std::vector<double>>& column);

  std::size_t players() const { return action_counts_.size(); }
  std::size_t actions(std::size_t player) const { return action_counts_[player]; }
  const std::vector<std::size_t>& action_counts() const { return action_counts_; }
  std::size_t joint_actions() const { return joint_actions_; }
  // Row-major index of a joint action (one action per player, each in range).
  std::size_t index(std::span<const std::size_t> joint) const;
  // Distance in the flat tensor between joint actions that differ by one in `player`'s action.
  std::size_t stride(std::size_t player) const { return strides_[player]; }
  // Player p's payoff tensor, indexed by `index(joint)`.
  std::span<const double> payoffs(std::size_t player) const {
    return {payoffs_.data() + player * joint_actions_, joint_actions_};
  }
  double payoff(std::size_t player, std::span<const std::size_t> joint) const {
    return payoffs(player)[index(joint)];
  }
  // max |payoff| over all players and joint actions.
  double max_abs_payoff() const { return max_abs_payoff_; }
  // Largest minus smallest payoff over all players and joint actions.
  double payoff_range() const { return payoff_range_; }

 private:
  NormalFormGame() = default;

  std::vector<std::size_t> action_counts_;
  std::vector<std::size_t> strides_;
  std::size_t joint_actions_ = 0;
  std::vector<double> payoffs_;  // player-major: payoffs_[p * joint_actions_ + index]
  double max_abs_payoff_ = 0.0;
  double payoff_range_ = 0.0;
};

// `{"payoffs": [T_1, ..., T_n]}`: T_p is player p's payoffs as n nested arrays, T_p[a1]...[an]
// (for two players the row and column players' m x n matrices). Errors name the offending entry,
// e.g. "payoffs[1][2] has 3 entries, expected 4".
core::Expected<NormalFormGame> game_from_json(const nlohmann::json& json);
// The same from JSON text (a syntax error is reported with its byte position).
core::Expected<NormalFormGame> parse_game(std::string_view text);

}  // namespace tars::marl
