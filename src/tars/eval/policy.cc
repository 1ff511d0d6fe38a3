#include "tars/eval/policy.h"

namespace tars::eval {

void Policy::begin_episode(int /*row*/, std::uint64_t /*episode_seed*/) {}

std::string Policy::checkpoint_hash() const { return {}; }

std::string Policy::hyperparameters_json() const { return "{}"; }

std::vector<double> Policy::recent_losses() const { return {}; }

}  // namespace tars::eval
