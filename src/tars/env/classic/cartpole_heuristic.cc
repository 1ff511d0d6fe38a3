#include "tars/env/classic/cartpole_heuristic.h"

namespace tars::env::classic {

std::int64_t cartpole_heuristic(std::span<const float> observation) {
  const double push = kCartPoleGainX * observation[0] + kCartPoleGainXDot * observation[1] +
                      kCartPoleGainTheta * observation[2] + kCartPoleGainThetaDot * observation[3];
  return push > 0.0 ? 1 : 0;
}

}  // namespace tars::env::classic
