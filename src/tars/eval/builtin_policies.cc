#include "tars/eval/builtin_policies.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "tars/core/rng.h"
#include "tars/env/box2d/lunar_lander.h"
#include "tars/env/box2d/lunar_lander_heuristic.h"
#include "tars/env/classic/cartpole_heuristic.h"

namespace tars::eval {
namespace {

using DiscreteRule = std::int64_t (*)(std::span<const float> observation);
using ContinuousRule = void (*)(std::span<const float> observation, std::span<float> action);

struct Heuristic {
  std::string_view env_id;
  DiscreteRule discrete = nullptr;      // for a Discrete action space, when there is one
  ContinuousRule continuous = nullptr;  // for a Box action space, when there is one
};

void lunar_lander_continuous(std::span<const float> observation, std::span<float> action) {
  const std::array<float, 2> throttles = env::lunar_lander_heuristic_continuous(observation);
  std::copy(throttles.begin(), throttles.end(), action.begin());
}

// LunarLander-v3 made with continuous=true keeps its id and gets a Box action space.
constexpr std::array<Heuristic, 3> kHeuristics = {{
    {"CartPole-v1", &env::classic::cartpole_heuristic, nullptr},
    {env::LunarLander::kId, &env::lunar_lander_heuristic_discrete, &lunar_lander_continuous},
    {env::LunarLander::kContinuousId, nullptr, &lunar_lander_continuous},
}};

class HeuristicPolicy final : public Policy {
 public:
  HeuristicPolicy(env::EnvSpec spec, const Heuristic& heuristic)
      : spec_(std::move(spec)), heuristic_(heuristic) {}

  const env::EnvSpec& env_spec() const override { return spec_; }
  std::string agent_type() const override { return std::string(kHeuristicPolicy); }

  void act(std::span<const float> observations, int batch, store::PolicyMode /*mode*/,
           std::span<std::int64_t> discrete, std::span<float> continuous) override {
    const std::size_t obs_size = spec_.observation_space.flat_size();
    const std::size_t action_size = spec_.action_space.flat_size();
    for (std::size_t i = 0; i < static_cast<std::size_t>(batch); ++i) {
      const std::span<const float> observation = observations.subspan(i * obs_size, obs_size);
      if (spec_.action_space.is_discrete()) {
        discrete[i] = heuristic_.discrete(observation);
      } else {
        heuristic_.continuous(observation, continuous.subspan(i * action_size, action_size));
      }
    }
  }

 private:
  env::EnvSpec spec_;
  Heuristic heuristic_;
};

std::uint32_t low_word(std::uint64_t value) { return static_cast<std::uint32_t>(value); }
std::uint32_t high_word(std::uint64_t value) { return static_cast<std::uint32_t>(value >> 32); }

class RandomPolicy final : public Policy {
 public:
  RandomPolicy(env::EnvSpec spec, std::uint64_t seed) : spec_(std::move(spec)), seed_(seed) {}

  const env::EnvSpec& env_spec() const override { return spec_; }
  std::string agent_type() const override { return std::string(kRandomPolicy); }

  void begin_episode(int row, std::uint64_t episode_seed) override {
    generator(row) = stream(episode_seed);
  }

  void act(std::span<const float> /*observations*/, int batch, store::PolicyMode /*mode*/,
           std::span<std::int64_t> discrete, std::span<float> continuous) override {
    const env::Space& space = spec_.action_space;
    const std::size_t action_size = space.flat_size();
    for (int row = 0; row < batch; ++row) {
      core::Generator& rng = generator(row);
      if (space.is_discrete()) {
        discrete[row] = rng.integers(0, space.n());
        continue;
      }
      for (std::size_t d = 0; d < action_size; ++d) {
        // Rounding to float can reach `high`, which is still inside the closed box.
        continuous[row * action_size + d] =
            static_cast<float>(rng.uniform(space.low()[d], space.high()[d]));
      }
    }
  }

 private:
  // An independent stream per key: SeedSequence(entropy = seed, spawn_key = key).
  core::Generator stream(std::uint64_t key) const {
    const std::array<std::uint32_t, 2> entropy = {low_word(seed_), high_word(seed_)};
    const std::array<std::uint32_t, 2> spawn_key = {low_word(key), high_word(key)};
    return core::Generator(core::SeedSequence(entropy, spawn_key));
  }

  // The row's generator; rows used before any begin_episode() draw from stream(row).
  core::Generator& generator(int row) {
    while (generators_.size() <= static_cast<std::size_t>(row)) {
      generators_.push_back(stream(generators_.size()));
    }
    return generators_[row];
  }

  env::EnvSpec spec_;
  std::uint64_t seed_;
  std::vector<core::Generator> generators_;  // one per batch row
};

core::Expected<std::unique_ptr<Policy>> make_heuristic(const env::EnvSpec& spec) {
  for (const Heuristic& heuristic : kHeuristics) {
    if (heuristic.env_id != spec.id) continue;
    if (spec.action_space.is_discrete() ? heuristic.discrete == nullptr
                                        : heuristic.continuous == nullptr) {
      return core::not_found(fmt::format("no heuristic for {} with action space {}", spec.id,
                                         spec.action_space.shape_text()));
    }
    return std::unique_ptr<Policy>(std::make_unique<HeuristicPolicy>(spec, heuristic));
  }
  return core::not_found(fmt::format("no heuristic for {}; heuristics exist for {}", spec.id,
                                     fmt::join(heuristic_env_ids(), ", ")));
}

core::Expected<std::unique_ptr<Policy>> make_random(const env::EnvSpec& spec, std::uint64_t seed) {
  const env::Space& space = spec.action_space;
  for (std::size_t d = 0; !space.is_discrete() && d < space.flat_size(); ++d) {
    if (!std::isfinite(space.low()[d]) || !std::isfinite(space.high()[d])) {
      return core::invalid_argument(fmt::format(
          "a random policy needs finite action bounds; {} has {}", spec.id, space.describe()));
    }
  }
  return std::unique_ptr<Policy>(std::make_unique<RandomPolicy>(spec, seed));
}

}  // namespace

std::vector<std::string> heuristic_env_ids() {
  std::vector<std::string> ids;
  ids.reserve(kHeuristics.size());
  for (const Heuristic& heuristic : kHeuristics) ids.emplace_back(heuristic.env_id);
  return ids;
}

core::Expected<std::unique_ptr<Policy>> make_builtin_policy(std::string_view name,
                                                            const env::EnvSpec& spec,
                                                            std::uint64_t seed) {
  if (name == kRandomPolicy) return make_random(spec, seed);
  if (name == kHeuristicPolicy) return make_heuristic(spec);
  return core::not_found(fmt::format("unknown built-in policy '{}' (available: {}, {})", name,
                                     kRandomPolicy, kHeuristicPolicy));
}

}  // namespace tars::eval
