// What every learning algorithm offers the trainer, the evaluator and (later) the orchestrator:
// batched actions, learning on a VectorEnv, validated hyperparameters, statistics, checkpoints.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/env/vector_env.h"
#include "tars/nn/safetensors.h"
#include "tars/rl/hyperparameters.h"

namespace tars::rl {

// Reported after every policy update while learning.
struct LearnProgress {
  std::int64_t steps = 0;                 // environment steps so far
  std::int64_t episodes = 0;              // episodes finished so far
  double recent_return_mean = 0.0;        // mean return of the last (up to) 100 episodes
  std::map<std::string, double> metrics;  // losses, entropy, KL, clip fraction, learning rate...
};
using ProgressCallback = std::function<void(const LearnProgress&)>;

class Agent {
 public:
  virtual ~Agent() = default;

  virtual std::string_view algorithm() const = 0;
  virtual const env::EnvSpec& env_spec() const = 0;

  // Actions for `batch` observations laid out as VectorEnv does ([batch x obs], row-major).
  // Discrete spaces fill `discrete` (batch entries); Box spaces fill `continuous`
  // ([batch x action_size]), clipped to the action space.
  virtual void act(std::span<const float> observations, int batch, bool deterministic,
                   std::span<std::int64_t> discrete, std::span<float> continuous) = 0;

  // Trains for `total_steps` environment steps on `envs` (built for this agent's environment).
  virtual core::Status learn(env::VectorEnv& envs, std::int64_t total_steps,
                             const ProgressCallback& progress) = 0;

  virtual const Hyperparameters& hyperparameters() const = 0;
  // Changes hyperparameters of a live agent: every value is validated first and nothing
  // changes on error; cold ones (network shapes, n_envs) are refused. Hot values apply at the
  // next update, warm ones at the next learn() call. Algorithms that cannot change anything
  // live keep this default, which refuses.
  virtual core::Status set_hyperparameters(
      const std::vector<std::pair<std::string, std::string>>& assignments);

  // Network and optimizer tensors by name, for checkpoints.
  virtual std::vector<nn::StoredTensor> tensors() const = 0;
  // Restores tensors saved by tensors(); shapes are checked first, nothing changes on error.
  virtual core::Status load_tensors(const std::vector<nn::StoredTensor>& tensors) = 0;
};

// `current` with `assignments` applied, or the first invalid value / cold change.
core::Expected<Hyperparameters> with_live_changes(
    const Hyperparameters& current,
    const std::vector<std::pair<std::string, std::string>>& assignments);

}  // namespace tars::rl
