#include "tars/marl/coordinator.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <numeric>

#include "tars/marl/hypervolume.h"

namespace tars::marl {

namespace {

constexpr std::size_t kAgents = env::kOpsNumAgents;
constexpr double kPureProbability = 1.0 - 1e-12;

// Joint candidate `index` (row-major, the last agent's candidate varies fastest) → choices.
std::array<int, kAgents> decode(std::size_t index, const TeamCandidates& candidates) {
  std::array<int, kAgents> choice{};
  for (std::size_t p = kAgents; p-- > 0;) {
    const auto count = static_cast<std::size_t>(candidates[p].count);
    choice[p] = static_cast<int>(index % count);
    index /= count;
  }
  return choice;
}

// The equilibrium with the highest total payoff (the first on ties).
const Equilibrium& best_equilibrium(const NashResult& result) {
  const auto total = [](const Equilibrium& e) {
    return std::accumulate(e.payoffs.begin(), e.payoffs.end(), 0.0);
  };
  return *std::max_element(
      result.equilibria.begin(), result.equilibria.end(),
      [&](const Equilibrium& a, const Equilibrium& b) { return total(a) < total(b); });
}

// A candidate drawn from a mixed strategy (the certain one of a pure strategy).
int draw(const std::vector<double>& strategy, core::Generator& rng) {
  const auto top = std::max_element(strategy.begin(), strategy.end());
  if (*top >= kPureProbability) return static_cast<int>(top - strategy.begin());
  double u = rng.random();
  for (std::size_t a = 0; a < strategy.size(); ++a) {
    if (u < strategy[a]) return static_cast<int>(a);
    u -= strategy[a];
  }
  return static_cast<int>(strategy.size() - 1);
}

}  // namespace

const char* coordination_mode_name(CoordinationMode mode) {
  switch (mode) {
    case CoordinationMode::kNash:
      return "nash";
    case CoordinationMode::kPareto:
      return "pareto";
    case CoordinationMode::kIndependent:
      return "independent";
  }
  return "unknown";
}

core::Expected<CoordinationMode> parse_coordination_mode(std::string_view name) {
  for (CoordinationMode mode :
       {CoordinationMode::kNash, CoordinationMode::kPareto, CoordinationMode::kIndependent}) {
    if (name == coordination_mode_name(mode)) return mode;
  }
  return core::invalid_argument(
      fmt::format("unknown coordination mode '{}' (nash, pareto, independent)", name));
}

const char* pareto_rule_name(ParetoRule rule) {
  switch (rule) {
    case ParetoRule::kWeightedSum:
      return "weighted_sum";
    case ParetoRule::kMaxMin:
      return "max_min";
    case ParetoRule::kCentroid:
      return "centroid";
  }
  return "unknown";
}

core::Expected<ParetoRule> parse_pareto_rule(std::string_view name) {
  for (ParetoRule rule : {ParetoRule::kWeightedSum, ParetoRule::kMaxMin, ParetoRule::kCentroid}) {
    if (name == pareto_rule_name(rule)) return rule;
  }
  return core::invalid_argument(
      fmt::format("unknown Pareto rule '{}' (weighted_sum, max_min, centroid)", name));
}

void normalise_scores(AgentCandidates& candidates) {
  const auto scores = std::span(candidates.score).first(static_cast<std::size_t>(candidates.count));
  const auto [low, high] = std::minmax_element(scores.begin(), scores.end());
  const double lowest = *low;
  const double range = *high - lowest;
  for (double& score : scores) {
    score = kAlternativeScore * (range > 0.0 ? (score - lowest) / range : 1.0);
  }
  scores[0] = 1.0;
}

env::OpsSimAction joint_action(const TeamCandidates& candidates,
                               const std::array<int, env::kOpsNumAgents>& choice) {
  const auto pick = [&](env::OpsAgent agent) {
    const auto i = static_cast<std::size_t>(agent);
    return candidates[i].action[static_cast<std::size_t>(choice[i])];
  };
  return {.policy = static_cast<int>(pick(env::OpsAgent::kPolicy)),
          .consensus = static_cast<int>(pick(env::OpsAgent::kConsensus)),
          .ethical = static_cast<int>(pick(env::OpsAgent::kEthical)),
          .resource = static_cast<float>(pick(env::OpsAgent::kResource))};
}

core::Expected<Coordination> Coordinator::coordinate(const TeamCandidates& candidates,
                                                     const ServiceContext& context,
                                                     core::Generator& rng) {
  Coordination out;
  std::vector<std::size_t> counts(kAgents);
  for (std::size_t p = 0; p < kAgents; ++p) {
    if (candidates[p].count < 1 || candidates[p].count > kMaxCandidates) {
      return core::invalid_argument(fmt::format("agent {} has {} candidates, expected 1 to {}",
                                                env::kOpsAgents[p].name, candidates[p].count,
                                                kMaxCandidates));
    }
    counts[p] = static_cast<std::size_t>(candidates[p].count);
  }
  out.proposed = detect_conflicts(joint_action(candidates, {}), context);
  if (options_.mode != CoordinationMode::kIndependent) {
    const auto started = std::chrono::steady_clock::now();
    const std::size_t joints =
        std::accumulate(counts.begin(), counts.end(), std::size_t{1}, std::multiplies<>());
    std::vector<std::vector<double>> payoffs(kAgents, std::vector<double>(joints));
    for (std::size_t j = 0; j < joints; ++j) {
      const std::array<int, kAgents> choice = decode(j, candidates);
      const Conflicts conflicts = detect_conflicts(joint_action(candidates, choice), context);
      for (std::size_t p = 0; p < kAgents; ++p) {
        payoffs[p][j] =
            candidates[p].score[static_cast<std::size_t>(choice[p])] -
            options_.conflict_penalty * conflicts.involving(static_cast<env::OpsAgent>(p));
      }
    }
    auto game = NormalFormGame::create(counts, std::move(payoffs));
    if (!game.ok()) return game.status();
    if (core::Status status = solve_nash_game(*game, out, rng); !status.ok()) return status;
    out.nash.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (core::Status status = select_on_frontier(candidates, *game, out); !status.ok()) {
      return status;
    }
  }
  out.action = joint_action(candidates, out.choice);
  out.executed = detect_conflicts(out.action, context);
  for (std::size_t p = 0; p < kAgents; ++p) {
    out.confidence[p] = 0.5 + 0.5 * candidates[p].score[static_cast<std::size_t>(out.choice[p])];
  }
  return out;
}

core::Status Coordinator::solve_nash_game(const NormalFormGame& game, Coordination& out,
                                          core::Generator& rng) const {
  auto result = solve_nash(game, options_.nash);
  if (!result.ok()) return result.status();
  if (result->equilibria.empty())
    return core::failed_precondition("the Nash solver returned no profile");
  const Equilibrium& chosen = best_equilibrium(*result);
  out.nash = {.method = result->method,
              .strategies = chosen.strategies,
              .payoffs = chosen.payoffs,
              .equilibria = result->equilibria.size(),
              .iterations = result->iterations,
              .converged = result->converged,
              .exploitability = chosen.exploitability,
              .seconds = 0.0};
  if (options_.mode == CoordinationMode::kNash) {
    for (std::size_t p = 0; p < kAgents; ++p) out.choice[p] = draw(chosen.strategies[p], rng);
  }
  return {};
}

core::Status Coordinator::select_on_frontier(const TeamCandidates& candidates,
                                             const NormalFormGame& game, Coordination& out) const {
  const std::size_t joints = game.joint_actions();
  std::vector<std::vector<double>> points(joints, std::vector<double>(kAgents));
  ParetoSummary& pareto = out.pareto;
  pareto.joint.resize(joints);
  pareto.payoffs.resize(joints);
  for (std::size_t j = 0; j < joints; ++j) {
    pareto.joint[j] = decode(j, candidates);
    for (std::size_t p = 0; p < kAgents; ++p) {
      points[j][p] = pareto.payoffs[j][p] = game.payoffs(p)[j];
    }
  }
  auto selection = select_pareto(points, options_.pareto_rule,
                                 options_.pareto_rule == ParetoRule::kWeightedSum
                                     ? std::span<const double>(options_.pareto_weights)
                                     : std::span<const double>());
  if (!selection.ok()) return selection.status();
  pareto.on_frontier.assign(joints, false);
  std::vector<std::vector<double>> frontier;
  frontier.reserve(selection->frontier.size());
  for (std::size_t j : selection->frontier) {
    pareto.on_frontier[j] = true;
    frontier.push_back(points[j]);
  }
  pareto.selected = selection->chosen;
  const std::array<double, kAgents> reference = {kHypervolumeReference, kHypervolumeReference,
                                                 kHypervolumeReference, kHypervolumeReference};
  auto volume = hypervolume(frontier, reference);
  if (!volume.ok()) return volume.status();
  pareto.hypervolume = *volume;
  if (options_.mode == CoordinationMode::kPareto) out.choice = pareto.joint[pareto.selected];
  return {};
}

}  // namespace tars::marl
