#include "tars/marl/profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tars::marl {

core::Status validate_profile(const NormalFormGame& game, const Profile& profile) {
  if (profile.size() != game.players()) {
    return core::invalid_argument(fmt::format("the profile has {} strategies for {} players",
                                              profile.size(), game.players()));
  }
  for (std::size_t p = 0; p < profile.size(); ++p) {
    if (profile[p].size() != game.actions(p)) {
      return core::invalid_argument(fmt::format("player {}'s strategy has {} entries, expected {}",
                                                p, profile[p].size(), game.actions(p)));
    }
    double sum = 0.0;
    for (std::size_t a = 0; a < profile[p].size(); ++a) {
      const double probability = profile[p][a];
      if (!std::isfinite(probability) || probability < 0.0) {
        return core::invalid_argument(
            fmt::format("player {}'s probability of action {} is {}, expected a number >= 0", p, a,
                        probability));
      }
      sum += probability;
    }
    if (std::abs(sum - 1.0) > kProbabilitySumTolerance) {
      return core::invalid_argument(
          fmt::format("player {}'s probabilities sum to {}, expected 1", p, sum));
    }
  }
  return {};
}

DeviationPayoffs::DeviationPayoffs(const NormalFormGame& game)
    : game_(&game),
      offsets_(game.players()),
      expected_(game.players()),
      best_action_(game.players()),
      joint_(game.players()),
      prefix_(game.players() + 1) {
  std::size_t total = 0;
  for (std::size_t p = 0; p < game.players(); ++p) {
    offsets_[p] = total;
    total += game.actions(p);
  }
  values_.resize(total);
}

void DeviationPayoffs::compute(const Profile& profile) {
  const std::size_t players = game_->players();
  const std::size_t joint_actions = game_->joint_actions();
  std::fill(values_.begin(), values_.end(), 0.0);
  std::fill(joint_.begin(), joint_.end(), 0);
  prefix_[0] = 1.0;
  for (std::size_t j = 0; j < joint_actions; ++j) {
    for (std::size_t q = 0; q < players; ++q) prefix_[q + 1] = prefix_[q] * profile[q][joint_[q]];
    // Walking down from the last player, `others` is the probability of the joint action
    // without player q's own factor: prefix (players before q) times suffix (players after q).
    double suffix = 1.0;
    for (std::size_t q = players; q-- > 0;) {
      values_[offsets_[q] + joint_[q]] += game_->payoffs(q)[j] * (prefix_[q] * suffix);
      suffix *= profile[q][joint_[q]];
    }
    for (std::size_t q = players; q-- > 0;) {  // next joint action, last player fastest
      if (++joint_[q] < game_->actions(q)) break;
      joint_[q] = 0;
    }
  }
  for (std::size_t p = 0; p < players; ++p) {
    const std::span<const double> v = values(p);
    double expected = 0.0;
    std::size_t best = 0;
    for (std::size_t a = 0; a < v.size(); ++a) {
      expected += profile[p][a] * v[a];
      if (v[a] > v[best]) best = a;
    }
    expected_[p] = expected;
    best_action_[p] = best;
  }
}

double DeviationPayoffs::exploitability() const {
  double gap = 0.0;
  for (std::size_t p = 0; p < game_->players(); ++p) gap += regret(p);
  return gap;
}

core::Expected<ProfileEvaluation> evaluate_profile(const NormalFormGame& game,
                                                   const Profile& profile) {
  core::Status status = validate_profile(game, profile);
  if (!status.ok()) return status;
  DeviationPayoffs deviations(game);
  deviations.compute(profile);
  ProfileEvaluation evaluation;
  for (std::size_t p = 0; p < game.players(); ++p) {
    evaluation.payoffs.push_back(deviations.expected(p));
    evaluation.regrets.push_back(deviations.regret(p));
  }
  evaluation.exploitability = deviations.exploitability();
  return evaluation;
}

}  // namespace tars::marl
