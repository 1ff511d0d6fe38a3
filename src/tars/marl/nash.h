// Nash equilibria of normal-form games.
//
// - pure_equilibria: every pure-strategy equilibrium (any number of players), exact.
// - support_enumeration (2 players): every extreme equilibrium, exact up to rounding, also in
//   degenerate games. Strictly dominated actions are removed first (iteratively; no equilibrium
//   plays them). Each vertex of a player's best-response polyhedron is the unique solution of a
//   square system "support I, opponent's indifference set K, |I| = |K|"; all such systems are
//   solved (Gaussian elimination with partial pivoting in double, one equation at a time so that
//   systems sharing their first equations share the work), vertices are kept when feasible, and
//   two vertices form an equilibrium when each one's support lies in the other's best
//   responses. For a nondegenerate game K is the opponent's support, so this is classic support
//   enumeration over equal-size supports; for a degenerate game the supports may differ in size.
//   Work: C(m + n, m) systems per player (after the dominated actions are gone), capped by
//   max_support_systems.
// - lemke_howson (2 players): complementary pivoting from one or every starting label with the
//   lexicographic ratio test (which keeps degenerate games from cycling); always ends at an
//   equilibrium in exact arithmetic. Paths are short for small games (10 x 8: a few pivots) but
//   can be long for large ones (150 x 150: up to 10^5 pivots and more); a path is abandoned
//   after 100 000 pivots and the next label is tried.
// - fictitious_play (any number of players): fictitious play (step 1 / (t + 2)) or damped best
//   response (constant step); see FictitiousPlayOptions for the stopping rule. Convergence is
//   guaranteed only for some classes (two-player zero-sum, potential games, 2 x n games); the
//   result says whether it converged and reports the exploitability either way. Along the way,
//   Newton's method on the indifference equations of the support the average has settled on
//   turns an approximate mixed equilibrium into an exact one (see `refine`).
//
// Tolerance of the exact methods: a profile is returned only if no player gains more than
// tolerance x max(1, max |payoff|) by a unilateral deviation (checked on the final, normalised
// profile); probabilities below 1e-9 in a solved system count as 0 and the rest is renormalised.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/status.h"
#include "tars/marl/game.h"
#include "tars/marl/profile.h"

namespace tars::marl {

enum class NashMethod {
  kAuto,                // see solve_nash
  kPure,                // pure_equilibria
  kSupportEnumeration,  // support_enumeration
  kLemkeHowson,         // lemke_howson
  kFictitiousPlay,      // fictitious_play
};

// "auto", "pure", "support_enumeration", "lemke_howson", "fictitious_play".
const char* nash_method_name(NashMethod method);
core::Expected<NashMethod> parse_nash_method(std::string_view name);

struct Equilibrium {
  Profile strategies = {};           // one probability vector per player
  std::vector<double> payoffs = {};  // expected payoff per player
  double exploitability = 0.0;       // Nash gap of `strategies` (see profile.h)
};

struct NashResult {
  std::vector<Equilibrium> equilibria = {};
  // "pure", "support_enumeration", "lemke_howson", "fictitious_play" or "damped_best_response",
  // the last two followed by "+newton" when the support refinement produced the result.
  std::string method = {};
  // Joint actions checked (pure), linear systems solved (support enumeration), pivots
  // (Lemke-Howson) or best-response rounds (fictitious play).
  std::size_t iterations = 0;
  // Exact methods: true. Fictitious play: the stopping rule was met within max_iterations.
  bool converged = false;
  // Stopped after max_equilibria equilibria: there may be more.
  bool truncated = false;
  double exploitability = 0.0;  // the largest over `equilibria`
};

// See NashOptions::lemke_howson_all_labels (about 0.1 s here).
inline constexpr double kLemkeHowsonWork = 1e8;

struct FictitiousPlayOptions {
  // Best-response rounds at most.
  std::size_t max_iterations = 20'000;
  // Stop (converged) once exploitability <= tolerance x the game's payoff range (max - min
  // payoff over all players), or as soon as the players' joint best response is itself a pure
  // equilibrium (that pure profile is returned).
  double tolerance = 1e-4;
  // 0: fictitious play, sigma <- sigma + (BR - sigma) / (t + 2), the empirical average of past
  // best responses with the start counted once. In (0, 1]: damped best response with that
  // constant step (1 = plain best-response dynamics).
  double damping = 0.0;
  // Starting profile (e.g. the previous step's equilibrium); empty: every player uniform.
  Profile initial = {};
  // At the start and after 16, 32, 64, ... rounds, guess the supports (actions with
  // probability >= 0.02, 0.05, 0.1, ... 0.4: one guess per distinct result) and solve their
  // indifference equations by Newton's method; a solution within the exact methods' tolerance
  // (1e-10 x max(1, max |payoff|)) is returned at once, converged, with "+newton" appended to
  // the method.
  bool refine = true;
};

struct NashOptions {
  NashMethod method = NashMethod::kAuto;
  // Exact methods' equilibrium tolerance, relative to max(1, max |payoff|).
  double tolerance = 1e-10;
  // Support enumeration refuses games needing more square systems than this per player
  // (C(m + n, m); 10 x 8: 43 758); solve_nash then uses Lemke-Howson from every label.
  std::size_t max_support_systems = 250'000;
  // Pure enumeration and support enumeration stop after this many equilibria (truncated).
  std::size_t max_equilibria = 1'000;
  // Lemke-Howson: the first label dropped, 0 .. m + n - 1 (row actions, then column actions).
  std::size_t lemke_howson_label = 0;
  // Lemke-Howson: run from every label and return the distinct equilibria found. Once an
  // equilibrium is found, no further label is started after the pivots made so far cost
  // kLemkeHowsonWork tableau entry updates (then truncated): paths can be long in large
  // degenerate games.
  bool lemke_howson_all_labels = false;
  FictitiousPlayOptions fictitious_play = {};
};

// kAuto: 2 players: support enumeration (every extreme equilibrium) when within
// max_support_systems, else Lemke-Howson from every label. More players: every pure equilibrium
// if there is one, else fictitious play.
core::Expected<NashResult> solve_nash(const NormalFormGame& game, const NashOptions& options = {});

// Whether no player can gain more than the tolerance by deviating from the pure joint action.
core::Expected<bool> is_pure_equilibrium(const NormalFormGame& game,
                                         std::span<const std::size_t> joint,
                                         double tolerance = NashOptions{}.tolerance);
NashResult pure_equilibria(const NormalFormGame& game, const NashOptions& options = {});
core::Expected<NashResult> support_enumeration(const NormalFormGame& game,
                                               const NashOptions& options = {});
core::Expected<NashResult> lemke_howson(const NormalFormGame& game,
                                        const NashOptions& options = {});
core::Expected<NashResult> fictitious_play(const NormalFormGame& game,
                                           const FictitiousPlayOptions& options = {});

}  // namespace tars::marl
