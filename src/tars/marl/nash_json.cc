#include "tars/marl/nash_json.h"

#include <nlohmann/json.hpp>

namespace tars::marl {

nlohmann::json to_json(const NashResult& result) {
  nlohmann::json equilibria = nlohmann::json::array();
  for (const Equilibrium& equilibrium : result.equilibria) {
    equilibria.push_back({{"strategies", equilibrium.strategies},
                          {"payoffs", equilibrium.payoffs},
                          {"exploitability", equilibrium.exploitability}});
  }
  return {{"equilibria", std::move(equilibria)}, {"method", result.method},
          {"iterations", result.iterations},     {"converged", result.converged},
          {"truncated", result.truncated},       {"exploitability", result.exploitability}};
}

}  // namespace tars::marl
