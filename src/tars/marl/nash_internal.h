// Helpers shared by the Nash solvers; not part of the module's interface.
#pragma once

#include "tars/marl/nash.h"

namespace tars::marl::internal {

// Solved probabilities at or below this count as 0 (then the strategy is renormalised).
inline constexpr double kZeroProbability = 1e-9;
// Two equilibria are the same when no probability differs by more than this.
inline constexpr double kSameProfile = 1e-9;

// The absolute payoff tolerance: tolerance x max(1, max |payoff|).
double payoff_tolerance(const NormalFormGame& game, double tolerance);

// Player p's best deviation gain at the joint action with row-major index `flat`, where p plays
// `own`: max over p's actions of its payoff minus its payoff at `flat`.
double deviation_gain(const NormalFormGame& game, std::size_t player, std::size_t flat,
                      std::size_t own);

// Whether no player gains more than `payoff_tolerance` by deviating from `joint` (index `flat`).
bool is_pure_equilibrium(const NormalFormGame& game, std::span<const std::size_t> joint,
                         std::size_t flat, double payoff_tolerance);

// Appends `profile` to result.equilibria if no player gains more than `payoff_tolerance` by
// deviating and no equilibrium already there is the same; returns whether it did.
bool add_equilibrium(const Profile& profile, double payoff_tolerance, DeviationPayoffs& deviations,
                     NashResult& result);

// Sets result.exploitability to the largest over result.equilibria.
void set_exploitability(NashResult& result);

}  // namespace tars::marl::internal
