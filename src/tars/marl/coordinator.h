// One coordination round: each agent puts forward a few candidate actions with its own scores,
// the coordinator builds the normal-form game over their joint candidates (payoff of agent i =
// its normalised score of its own part − conflict_penalty × the conflicts involving it), then
// resolves it by Nash equilibrium or Pareto selection, or takes the agents' own proposals.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/env/ops_sim/ops_sim_spec.h"
#include "tars/marl/conflicts.h"
#include "tars/marl/nash.h"
#include "tars/marl/pareto.h"

namespace tars::marl {

enum class CoordinationMode {
  kNash,         // execute an equilibrium (the one with the highest total payoff; mixed: sampled)
  kPareto,       // execute the Pareto-frontier joint action the rule selects
  kIndependent,  // execute every agent's own proposal (no coordination; a baseline)
};
const char* coordination_mode_name(CoordinationMode mode);
core::Expected<CoordinationMode> parse_coordination_mode(std::string_view name);
core::Expected<ParetoRule> parse_pareto_rule(std::string_view name);
const char* pareto_rule_name(ParetoRule rule);

inline constexpr int kMaxCandidates = 3;

// An agent's candidates: its exploring proposal first, then alternatives. `action` is the
// discrete index, or the resource agent's replica target in [0, 1]. `score` is the agent's
// preference in [0, 1]: its own proposal 1 (exploration included: the coordinator must not
// undo it without a reason), the alternatives ranked by its belief (Q or log π) in
// [0, kAlternativeScore].
struct AgentCandidates {
  int count = 0;
  std::array<double, kMaxCandidates> action = {};
  std::array<double, kMaxCandidates> score = {};
};
using TeamCandidates = std::array<AgentCandidates, env::kOpsNumAgents>;

inline constexpr double kAlternativeScore = 0.9;

// Turns raw beliefs into preferences in place: the proposal (candidate 0) gets 1, alternatives
// kAlternativeScore × (score − min) / (max − min) over all candidates (all equal:
// kAlternativeScore).
void normalise_scores(AgentCandidates& candidates);

// The joint action that picks candidate choice[i] of agent i.
env::OpsSimAction joint_action(const TeamCandidates& candidates,
                               const std::array<int, env::kOpsNumAgents>& choice);

struct CoordinatorOptions {
  CoordinationMode mode = CoordinationMode::kNash;
  double conflict_penalty = 0.5;  // payoff an agent loses per conflict it is involved in
  ParetoRule pareto_rule = ParetoRule::kWeightedSum;
  // Weighted-sum weights (the global reward's), one per agent.
  std::array<double, env::kOpsNumAgents> pareto_weights = {0.30, 0.25, 0.25, 0.20};
  NashOptions nash = {};
};

struct NashSummary {
  std::string method;           // solver that produced it
  Profile strategies;           // per agent: probability of each of its candidates
  std::vector<double> payoffs;  // expected payoff per agent
  std::size_t equilibria = 0;   // equilibria found
  std::size_t iterations = 0;   // solver iterations (see NashResult)
  bool converged = false;       // exact methods, or fictitious play met its tolerance
  double exploitability = 0.0;  // Nash gap of `strategies`
  double seconds = 0.0;         // wall time to build and solve the game
};

struct ParetoSummary {
  std::vector<std::array<int, env::kOpsNumAgents>> joint;       // every joint candidate
  std::vector<std::array<double, env::kOpsNumAgents>> payoffs;  // its payoff vector
  std::vector<bool> on_frontier;
  std::size_t selected = 0;  // index into `joint` the rule selects
  double hypervolume = 0.0;  // of the frontier, reference kHypervolumeReference per agent
};

// Lowest possible payoff with the default penalty (score 0, in every conflict rule): the
// hypervolume's reference point, fixed so that values are comparable over time.
inline constexpr double kHypervolumeReference = -2.0;

struct Coordination {
  std::array<int, env::kOpsNumAgents> choice = {};  // executed candidate of each agent
  env::OpsSimAction action = {};
  // 0.5 + 0.5 × the agent's normalised score of what it executes: how much it agrees.
  std::array<double, env::kOpsNumAgents> confidence = {};
  Conflicts proposed;  // conflicts of the agents' own proposals
  Conflicts executed;  // conflicts of the executed joint action
  NashSummary nash;    // empty in independent mode
  ParetoSummary pareto;
};

class Coordinator {
 public:
  explicit Coordinator(CoordinatorOptions options) : options_(std::move(options)) {}
  const CoordinatorOptions& options() const { return options_; }

  // Resolves one step; `rng` samples mixed equilibria.
  core::Expected<Coordination> coordinate(const TeamCandidates& candidates,
                                          const ServiceContext& context, core::Generator& rng);

 private:
  core::Status solve_nash_game(const NormalFormGame& game, Coordination& out,
                               core::Generator& rng) const;
  core::Status select_on_frontier(const TeamCandidates& candidates, const NormalFormGame& game,
                                  Coordination& out) const;

  CoordinatorOptions options_;
};

}  // namespace tars::marl
