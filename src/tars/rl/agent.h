// What every learning algorithm offers the trainer, the evaluator and the orchestrator: batched
// actions, learning on a VectorEnv, validated hyperparameters, statistics, checkpoints.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
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

// One step of an episode that someone else runs (the multi-agent orchestrator): the action is
// the one executed, which the coordinator may have chosen instead of the agent's own proposal.
struct Transition {
  std::span<const float> observation = {};
  std::int64_t discrete_action = 0;               // Discrete action spaces
  std::span<const float> continuous_action = {};  // Box action spaces, inside the box
  double reward = 0.0;
  std::span<const float> next_observation = {};  // the episode's last observation when it ended
  bool terminated = false;  // the MDP ended: no bootstrap from next_observation
  bool truncated = false;   // the episode was cut: bootstrap from it
};

// Everything training needs beyond the weights to continue exactly where it stopped.
struct TrainingState {
  // Optimizer moments "optimizer.<parameter>.<moment>" (PyTorch's names: exp_avg, exp_avg_sq,
  // square_avg) and an online rollout in progress "rollout.<field>", saved next to the weights
  // in a checkpoint's model.safetensors.
  std::vector<nn::StoredTensor> tensors;
  // A JSON object, checkpoint.json's "training_state": counters, schedule progress, RNG state,
  // ε, exploration noise, episode statistics, optimizer steps.
  std::string json = "{}";
};

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
  // Counters carry over between calls, and schedules (learning rate, clip range, ε, PER β) run
  // over all steps so far plus this call's, as SB3's learn(reset_num_timesteps=False): a second
  // call, or one on an agent restored from a checkpoint, continues rather than restarts them.
  virtual core::Status learn(env::VectorEnv& envs, std::int64_t total_steps,
                             const ProgressCallback& progress) = 0;

  // Online learning, one observation at a time (batch 1, n_envs 1). Algorithms without it keep
  // the defaults, which refuse. There is no step budget, so schedules stay at their start values
  // and exploration decays per episode (end_episode) where the algorithm declares a decay.
  //
  // The action the learning agent takes: ε-greedy (DQN), sampled from π (PPO, A2C) or μ(s) plus
  // exploration noise (DDPG, TD3).
  virtual core::Status explore(std::span<const float> observation, std::int64_t& discrete,
                               std::span<float> continuous);
  // How good the agent believes each candidate action is in `observation`, comparable between
  // candidates of this agent only: Q(s, a) for DQN and DDPG/TD3's first critic, log π(a | s) for
  // PPO and A2C. Candidates are `discrete` indices or rows of `continuous` ([k x action_size]).
  virtual core::Status score_actions(std::span<const float> observation,
                                     std::span<const std::int64_t> discrete,
                                     std::span<const float> continuous, std::span<double> scores);
  // Stores the executed transition and updates when the algorithm is due.
  virtual core::Status observe(const Transition& transition);
  // Per-episode bookkeeping of online learning (exploration decay, noise reset).
  virtual void end_episode() {}
  // Statistics so far: steps, episodes and the latest losses, ε, entropy, KL... (online or not).
  virtual const LearnProgress& progress() const = 0;
  // Bytes held by the networks, optimizer state and buffers.
  virtual std::uint64_t memory_bytes() const = 0;

  virtual const Hyperparameters& hyperparameters() const = 0;
  // Changes hyperparameters of a live agent: every value is validated first and nothing
  // changes on error; cold ones (network shapes, n_envs) are refused. Hot values apply at the
  // next update, warm ones at the next learn() call. Algorithms that cannot change anything
  // live keep this default, which refuses.
  virtual core::Status set_hyperparameters(
      const std::vector<std::pair<std::string, std::string>>& assignments);

  // Network tensors by name (weights, target networks included), for checkpoints and evaluation.
  virtual std::vector<nn::StoredTensor> tensors() const = 0;
  // Restores tensors saved by tensors(); shapes are checked first, nothing changes on error.
  virtual core::Status load_tensors(const std::vector<nn::StoredTensor>& tensors) = 0;

  // Everything else learning continues from (see TrainingState; the replay buffer aside).
  virtual TrainingState training_state() const = 0;
  // Restores training_state() of an agent built with the same hyperparameters (and n_envs). Every
  // field and tensor is checked first; an error names each problem and nothing changes.
  virtual core::Status load_training_state(const TrainingState& state) = 0;
  // The replay memory as a safetensors file (DQN, DDPG, TD3); nullopt without one (yet).
  virtual std::optional<nn::SafetensorsFile> replay_buffer() const { return std::nullopt; }
  // Restores replay_buffer() of an agent with the same buffer size; checked first, as above.
  virtual core::Status load_replay_buffer(const nn::SafetensorsFile& file);
};

// `current` with `assignments` applied, or the first invalid value / cold change.
core::Expected<Hyperparameters> with_live_changes(
    const Hyperparameters& current,
    const std::vector<std::pair<std::string, std::string>>& assignments);

// Bytes of the tensors' data (the networks' weights, targets included).
std::uint64_t tensor_bytes(const std::vector<nn::StoredTensor>& tensors);

// Bytes an optimizer adds to the weights it trains: their gradients and its own state.
template <typename Optimizer>
std::uint64_t optimizer_bytes(const Optimizer& optimizer) {
  std::uint64_t gradient_floats = 0;
  for (const auto& p : optimizer.parameters()) {
    gradient_floats += static_cast<std::uint64_t>(p.grad.size());
  }
  return gradient_floats * sizeof(float) + optimizer.state_bytes();
}

}  // namespace tars::rl
