// Fictitious play and damped best response for any number of players (see nash.h and
// FictitiousPlayOptions for the update and the stopping rule).
#include <fmt/format.h>

#include <algorithm>

#include "tars/marl/nash.h"
#include "tars/marl/nash_internal.h"
#include "tars/marl/support_newton.h"

namespace tars::marl {

core::Expected<NashResult> fictitious_play(const NormalFormGame& game,
                                           const FictitiousPlayOptions& options) {
  if (!(options.damping >= 0.0 && options.damping <= 1.0)) {
    return core::invalid_argument(
        fmt::format("damping must be in [0, 1], got {}", options.damping));
  }
  if (!(options.tolerance >= 0.0)) {
    return core::invalid_argument(fmt::format("tolerance must be >= 0, got {}", options.tolerance));
  }
  const std::size_t players = game.players();
  Profile profile = options.initial;
  if (profile.empty()) {
    for (std::size_t p = 0; p < players; ++p) {
      profile.emplace_back(game.actions(p), 1.0 / static_cast<double>(game.actions(p)));
    }
  } else if (core::Status status = validate_profile(game, profile); !status.ok()) {
    return core::invalid_argument("initial profile: " + status.message());
  }
  // A game whose payoffs are all equal has range 0: every profile is an equilibrium.
  const double range = game.payoff_range();
  const double stop_gap = options.tolerance * range;
  const double exact_tolerance = internal::payoff_tolerance(game, NashOptions{}.tolerance);
  NashResult result{.method = options.damping > 0.0 ? "damped_best_response" : "fictitious_play"};
  DeviationPayoffs deviations(game);
  internal::SupportNewton newton(game);
  std::vector<std::size_t> responses(players);
  for (std::size_t t = 0;; ++t) {
    deviations.compute(profile);
    if (deviations.exploitability() <= stop_gap) {
      result.converged = true;
      break;
    }
    for (std::size_t p = 0; p < players; ++p) responses[p] = deviations.best_action(p);
    if (internal::is_pure_equilibrium(game, responses, game.index(responses), exact_tolerance)) {
      for (std::size_t p = 0; p < players; ++p) {
        std::fill(profile[p].begin(), profile[p].end(), 0.0);
        profile[p][responses[p]] = 1.0;
      }
      deviations.compute(profile);
      result.converged = true;
      break;
    }
    // Newton on the current support at the start (a warm start may be nearly exact) and after
    // 16, 32, 64, ... rounds, when the average has had time to settle on a support.
    if (options.refine && (t == 0 || (t >= 16 && (t & (t - 1)) == 0)) &&
        newton.refine(profile, exact_tolerance)) {
      deviations.compute(profile);
      result.method += "+newton";
      result.converged = true;
      break;
    }
    if (t == options.max_iterations) break;
    const double step = options.damping > 0.0 ? options.damping : 1.0 / static_cast<double>(t + 2);
    for (std::size_t p = 0; p < players; ++p) {
      for (double& probability : profile[p]) probability *= 1.0 - step;
      profile[p][responses[p]] += step;
    }
    ++result.iterations;
  }
  Equilibrium equilibrium{.strategies = std::move(profile),
                          .payoffs = std::vector<double>(players),
                          .exploitability = deviations.exploitability()};
  for (std::size_t p = 0; p < players; ++p) equilibrium.payoffs[p] = deviations.expected(p);
  result.equilibria.push_back(std::move(equilibrium));
  internal::set_exploitability(result);
  return result;
}

}  // namespace tars::marl
