#include "tars/rl/algorithms.h"

#include <fmt/format.h>

#include "tars/rl/a2c.h"
#include "tars/rl/dqn.h"
#include "tars/rl/ppo.h"
#include "tars/rl/td3.h"

namespace tars::rl {

namespace {

struct Algorithm {
  std::string_view name;
  std::vector<HyperparameterSpec> (*schema)();
  core::Expected<std::unique_ptr<Agent>> (*make)(const env::EnvSpec&, const Hyperparameters&,
                                                 std::uint64_t);
  bool discrete;    // supports Discrete action spaces
  bool continuous;  // supports Box action spaces
};

const std::vector<Algorithm>& algorithms() {
  static const std::vector<Algorithm> table = {
      {"ppo", &ppo_hyperparameter_schema, &make_ppo, true, true},
      {"a2c", &a2c_hyperparameter_schema, &make_a2c, true, true},
      {"dqn", &dqn_hyperparameter_schema, &make_dqn, true, false},
      {"ddpg", &ddpg_hyperparameter_schema, &make_ddpg, false, true},
      {"td3", &td3_hyperparameter_schema, &make_td3, false, true},
  };
  return table;
}

core::Expected<const Algorithm*> find(std::string_view name) {
  for (const Algorithm& algorithm : algorithms()) {
    if (algorithm.name == name) return &algorithm;
  }
  return core::not_found(fmt::format("unknown algorithm '{}' (available: {})", name,
                                     fmt::join(algorithm_names(), ", ")));
}

}  // namespace

std::vector<std::string> algorithm_names() {
  std::vector<std::string> names;
  for (const Algorithm& algorithm : algorithms()) names.emplace_back(algorithm.name);
  return names;
}

core::Expected<Hyperparameters> default_hyperparameters(std::string_view algorithm) {
  auto found = find(algorithm);
  if (!found.ok()) return found.status();
  return Hyperparameters::from_schema((*found)->schema());
}

core::Expected<std::unique_ptr<Agent>> make_agent(std::string_view algorithm,
                                                  const env::EnvSpec& spec,
                                                  const Hyperparameters& hyperparameters,
                                                  std::uint64_t seed) {
  auto found = find(algorithm);
  if (!found.ok()) return found.status();
  const bool discrete = spec.action_space.is_discrete();
  if ((discrete && !(*found)->discrete) || (!discrete && !(*found)->continuous)) {
    return core::invalid_argument(fmt::format("{} does not support {}'s action space {}", algorithm,
                                              spec.id, spec.action_space.describe()));
  }
  return (*found)->make(spec, hyperparameters, seed);
}

}  // namespace tars::rl
