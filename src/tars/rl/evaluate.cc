#include "tars/rl/evaluate.h"

#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "tars/env/registry.h"

namespace tars::rl {

core::Expected<EvaluationResult> evaluate_agent(Agent& agent, std::string_view env_id,
                                                const env::Kwargs& kwargs, int episodes,
                                                std::uint64_t seed, bool deterministic) {
  if (episodes < 1) {
    return core::invalid_argument(fmt::format("episodes must be positive, got {}", episodes));
  }
  auto made = env::make(env_id, kwargs);
  if (!made.ok()) return made.status();
  env::Env& env = **made;
  const bool discrete = env.spec().action_space.is_discrete();
  std::vector<std::int64_t> index(1);
  std::vector<float> values(env.spec().action_space.flat_size());

  EvaluationResult result;
  for (int episode = 0; episode < episodes; ++episode) {
    auto observation = env.reset(seed + static_cast<std::uint64_t>(episode));
    if (!observation.ok()) return observation.status();
    double total = 0.0;
    while (true) {
      agent.act(env.observation(), 1, deterministic, index, values);
      auto step = discrete ? env.step(index[0]) : env.step(std::span<const float>(values));
      if (!step.ok()) return step.status();
      total += step->reward;
      if (step->terminated || step->truncated) break;
    }
    result.returns.push_back(total);
  }
  const double n = static_cast<double>(result.returns.size());
  result.mean_return = std::accumulate(result.returns.begin(), result.returns.end(), 0.0) / n;
  double squares = 0.0;
  for (double r : result.returns) squares += (r - result.mean_return) * (r - result.mean_return);
  result.std_return = std::sqrt(squares / n);
  return result;
}

}  // namespace tars::rl
