#include "tars/marl/nash.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "tars/marl/nash_internal.h"

namespace tars::marl {
namespace {

constexpr std::array<std::pair<NashMethod, const char*>, 5> kMethodNames = {{
    {NashMethod::kAuto, "auto"},
    {NashMethod::kPure, "pure"},
    {NashMethod::kSupportEnumeration, "support_enumeration"},
    {NashMethod::kLemkeHowson, "lemke_howson"},
    {NashMethod::kFictitiousPlay, "fictitious_play"},
}};

}  // namespace

namespace internal {

double deviation_gain(const NormalFormGame& game, std::size_t player, std::size_t flat,
                      std::size_t own) {
  const std::span<const double> payoffs = game.payoffs(player);
  const std::size_t stride = game.stride(player);
  const std::size_t base = flat - own * stride;
  double best = payoffs[flat];
  for (std::size_t a = 0; a < game.actions(player); ++a) {
    best = std::max(best, payoffs[base + a * stride]);
  }
  return best - payoffs[flat];
}

bool is_pure_equilibrium(const NormalFormGame& game, std::span<const std::size_t> joint,
                         std::size_t flat, double payoff_tolerance) {
  for (std::size_t p = 0; p < game.players(); ++p) {
    if (deviation_gain(game, p, flat, joint[p]) > payoff_tolerance) return false;
  }
  return true;
}

double payoff_tolerance(const NormalFormGame& game, double tolerance) {
  return tolerance * std::max(1.0, game.max_abs_payoff());
}

bool add_equilibrium(const Profile& profile, double payoff_tolerance, DeviationPayoffs& deviations,
                     NashResult& result) {
  deviations.compute(profile);
  const std::size_t players = profile.size();
  for (std::size_t p = 0; p < players; ++p) {
    if (deviations.regret(p) > payoff_tolerance) return false;
  }
  for (const Equilibrium& known : result.equilibria) {
    bool same = true;
    for (std::size_t p = 0; p < players && same; ++p) {
      for (std::size_t a = 0; a < profile[p].size() && same; ++a) {
        same = std::abs(known.strategies[p][a] - profile[p][a]) <= kSameProfile;
      }
    }
    if (same) return false;
  }
  Equilibrium equilibrium{.strategies = profile,
                          .payoffs = std::vector<double>(players),
                          .exploitability = deviations.exploitability()};
  for (std::size_t p = 0; p < players; ++p) equilibrium.payoffs[p] = deviations.expected(p);
  result.equilibria.push_back(std::move(equilibrium));
  return true;
}

void set_exploitability(NashResult& result) {
  result.exploitability = 0.0;
  for (const Equilibrium& equilibrium : result.equilibria) {
    result.exploitability = std::max(result.exploitability, equilibrium.exploitability);
  }
}

}  // namespace internal

const char* nash_method_name(NashMethod method) {
  for (const auto& [known, name] : kMethodNames) {
    if (known == method) return name;
  }
  return "unknown";
}

core::Expected<NashMethod> parse_nash_method(std::string_view name) {
  for (const auto& [method, known] : kMethodNames) {
    if (name == known) return method;
  }
  return core::invalid_argument(fmt::format(
      "unknown Nash method '{}' (expected auto, pure, support_enumeration, lemke_howson or "
      "fictitious_play)",
      name));
}

core::Expected<bool> is_pure_equilibrium(const NormalFormGame& game,
                                         std::span<const std::size_t> joint, double tolerance) {
  if (joint.size() != game.players()) {
    return core::invalid_argument(fmt::format("the joint action has {} entries for {} players",
                                              joint.size(), game.players()));
  }
  for (std::size_t p = 0; p < joint.size(); ++p) {
    if (joint[p] >= game.actions(p)) {
      return core::out_of_range(
          fmt::format("player {}'s action {} is not below {}", p, joint[p], game.actions(p)));
    }
  }
  return internal::is_pure_equilibrium(game, joint, game.index(joint),
                                       internal::payoff_tolerance(game, tolerance));
}

NashResult pure_equilibria(const NormalFormGame& game, const NashOptions& options) {
  const double tolerance = internal::payoff_tolerance(game, options.tolerance);
  const std::size_t players = game.players();
  NashResult result{.method = "pure", .converged = true};
  std::vector<std::size_t> joint(players, 0);
  for (std::size_t flat = 0; flat < game.joint_actions(); ++flat) {
    ++result.iterations;
    if (internal::is_pure_equilibrium(game, joint, flat, tolerance)) {
      if (result.equilibria.size() == options.max_equilibria) {
        result.truncated = true;
        break;
      }
      Equilibrium equilibrium;
      for (std::size_t p = 0; p < players; ++p) {
        equilibrium.strategies.emplace_back(game.actions(p), 0.0);
        equilibrium.strategies[p][joint[p]] = 1.0;
        equilibrium.payoffs.push_back(game.payoffs(p)[flat]);
        equilibrium.exploitability += internal::deviation_gain(game, p, flat, joint[p]);
      }
      result.equilibria.push_back(std::move(equilibrium));
    }
    for (std::size_t q = players; q-- > 0;) {  // next joint action, last player fastest
      if (++joint[q] < game.actions(q)) break;
      joint[q] = 0;
    }
  }
  internal::set_exploitability(result);
  return result;
}

core::Expected<NashResult> solve_nash(const NormalFormGame& game, const NashOptions& options) {
  switch (options.method) {
    case NashMethod::kPure:
      return pure_equilibria(game, options);
    case NashMethod::kSupportEnumeration:
      return support_enumeration(game, options);
    case NashMethod::kLemkeHowson:
      return lemke_howson(game, options);
    case NashMethod::kFictitiousPlay:
      return fictitious_play(game, options.fictitious_play);
    case NashMethod::kAuto:
      break;
  }
  if (game.players() == 2) {
    auto enumerated = support_enumeration(game, options);
    if (enumerated.ok() || enumerated.status().code() != core::ErrorCode::kOutOfRange) {
      return enumerated;
    }
    NashOptions every_label = options;
    every_label.lemke_howson_all_labels = true;
    return lemke_howson(game, every_label);
  }
  NashResult pure = pure_equilibria(game, options);
  if (!pure.equilibria.empty()) return pure;
  return fictitious_play(game, options.fictitious_play);
}

}  // namespace tars::marl
