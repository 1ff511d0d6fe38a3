// Coordination micro benchmarks: what the orchestrator solves every environment step.
// - a 2-player 10 x 8 game: every extreme equilibrium (support enumeration) or one equilibrium
//   (Lemke-Howson);
// - a 4-player 3 x 3 x 3 x 3 game: pure equilibria, fictitious play per round and to the
//   stopping rule;
// - 81 candidate joint actions with 3 objectives: Pareto frontier + selection, hypervolume.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include "tars/core/rng.h"
#include "tars/marl/game.h"
#include "tars/marl/hypervolume.h"
#include "tars/marl/nash.h"
#include "tars/marl/pareto.h"

namespace {

using tars::marl::NashOptions;
using tars::marl::NormalFormGame;

// Standard normal payoffs, so the game is nondegenerate.
NormalFormGame random_game(std::vector<std::size_t> actions, std::uint64_t seed) {
  tars::core::Generator generator(seed);
  std::size_t joint = 1;
  for (std::size_t count : actions) joint *= count;
  std::vector<std::vector<double>> payoffs(actions.size(), std::vector<double>(joint));
  for (auto& tensor : payoffs) {
    for (double& payoff : tensor) payoff = generator.standard_normal();
  }
  return std::move(NormalFormGame::create(std::move(actions), std::move(payoffs))).value();
}

void report(benchmark::State& state, const tars::marl::NashResult& result) {
  state.counters["equilibria"] = static_cast<double>(result.equilibria.size());
  state.counters["iterations"] = static_cast<double>(result.iterations);
  state.counters["converged"] = result.converged ? 1.0 : 0.0;
}

void support_enumeration_10x8(benchmark::State& state) {
  const NormalFormGame game = random_game({10, 8}, 1);
  tars::marl::NashResult result;
  for (auto _ : state) {
    result = *tars::marl::support_enumeration(game);
    benchmark::DoNotOptimize(result.equilibria.data());
  }
  report(state, result);
}
BENCHMARK(support_enumeration_10x8)->Unit(benchmark::kMillisecond);

void lemke_howson_10x8(benchmark::State& state) {
  const NormalFormGame game = random_game({10, 8}, 1);
  const NashOptions options{.lemke_howson_all_labels = state.range(0) != 0};
  tars::marl::NashResult result;
  for (auto _ : state) {
    result = *tars::marl::lemke_howson(game, options);
    benchmark::DoNotOptimize(result.equilibria.data());
  }
  report(state, result);
}
BENCHMARK(lemke_howson_10x8)->ArgName("all_labels")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void pure_equilibria_4x3(benchmark::State& state) {
  const NormalFormGame game = random_game({3, 3, 3, 3}, 2);
  tars::marl::NashResult result;
  for (auto _ : state) {
    result = tars::marl::pure_equilibria(game);
    benchmark::DoNotOptimize(result.equilibria.data());
  }
  report(state, result);
}
BENCHMARK(pure_equilibria_4x3)->Unit(benchmark::kMicrosecond);

// Fictitious play for a fixed number of rounds (tolerance 0, no Newton refinement): the cost
// of the rounds alone.
void fictitious_play_4x3_rounds(benchmark::State& state) {
  const NormalFormGame game = random_game({3, 3, 3, 3}, 4);
  const tars::marl::FictitiousPlayOptions options{
      .max_iterations = static_cast<std::size_t>(state.range(0)),
      .tolerance = 0.0,
      .refine = false};
  tars::marl::NashResult result;
  for (auto _ : state) {
    result = *tars::marl::fictitious_play(game, options);
    benchmark::DoNotOptimize(result.equilibria.data());
  }
  report(state, result);
}
BENCHMARK(fictitious_play_4x3_rounds)->Arg(1000)->Unit(benchmark::kMicrosecond);

// Fictitious play with the defaults (Newton refinement, exploitability <= 1e-4 x payoff range,
// at most 20 000 rounds).
void fictitious_play_4x3_default(benchmark::State& state) {
  const NormalFormGame game = random_game({3, 3, 3, 3}, static_cast<std::uint64_t>(state.range(0)));
  tars::marl::NashResult result;
  for (auto _ : state) {
    result = *tars::marl::fictitious_play(game);
    benchmark::DoNotOptimize(result.equilibria.data());
  }
  report(state, result);
  state.counters["pure_equilibria"] =
      static_cast<double>(tars::marl::pure_equilibria(game).equilibria.size());
}
BENCHMARK(fictitious_play_4x3_default)->ArgName("seed")->Arg(4)->Unit(benchmark::kMillisecond);

// solve_nash (auto) as the orchestrator calls it, over 100 random 4-player 3 x 3 x 3 x 3 games:
// pure equilibria when there are some, else fictitious play with Newton refinement. Reports the
// share solved exactly (exploitability <= 1e-9) and games per second.
void solve_nash_4x3_random100(benchmark::State& state) {
  std::vector<NormalFormGame> games;
  for (std::uint64_t seed = 100; seed < 200; ++seed)
    games.push_back(random_game({3, 3, 3, 3}, seed));
  double exact = 0.0;
  for (auto _ : state) {
    exact = 0.0;
    for (const NormalFormGame& game : games) {
      auto result = tars::marl::solve_nash(game);
      exact += result->exploitability <= 1e-9 ? 1.0 : 0.0;
      benchmark::DoNotOptimize(result->equilibria.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(games.size()));
  state.counters["exact_share"] = exact / static_cast<double>(games.size());
}
BENCHMARK(solve_nash_4x3_random100)->Unit(benchmark::kMillisecond);

std::vector<std::vector<double>> random_points(std::size_t count, std::size_t objectives) {
  tars::core::Generator generator(5);
  std::vector<std::vector<double>> points(count, std::vector<double>(objectives));
  for (auto& point : points) {
    for (double& value : point) value = generator.random();
  }
  return points;
}

void pareto_select_81x3(benchmark::State& state) {
  const auto points = random_points(81, 3);
  for (auto _ : state) {
    auto selection = tars::marl::select_pareto(points, tars::marl::ParetoRule::kMaxMin);
    benchmark::DoNotOptimize(selection->chosen);
  }
  state.counters["frontier"] = static_cast<double>(
      tars::marl::select_pareto(points, tars::marl::ParetoRule::kMaxMin)->frontier.size());
}
BENCHMARK(pareto_select_81x3)->Unit(benchmark::kMicrosecond);

void hypervolume_81x3(benchmark::State& state) {
  const auto points = random_points(81, 3);
  const std::vector<double> reference(3, 0.0);
  for (auto _ : state) {
    auto volume = tars::marl::hypervolume(points, reference);
    benchmark::DoNotOptimize(*volume);
  }
}
BENCHMARK(hypervolume_81x3)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
