// The policy of the on-policy algorithms (PPO, A2C), as Stable-Baselines3's ActorCriticPolicy
// for flat observations: separate actor and critic MLPs (or, with a net_arch such as "64-64+32",
// a shared trunk of 64-64 under actor and critic heads of 32, as T.A.R.S. 1.0's PPO agent), a
// categorical head for Discrete actions or a diagonal Gaussian with state-independent log σ for
// Box actions, orthogonal init.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/nn/categorical.h"
#include "tars/nn/diag_gaussian.h"
#include "tars/nn/mlp.h"
#include "tars/nn/safetensors.h"
#include "tars/rl/hyperparameters.h"
#include "tars/rl/rollout_buffer.h"

namespace tars::rl {

// Â <- (Â - mean) / (std + 1e-8) with torch's unbiased std, as SB3 (needs 2+ values).
void normalize_advantages(std::span<float> advantages);

// 1 − Var(targets − predicted) / Var(targets), as SB3's explained_variance: 1 for a perfect
// value function, 0 for one no better than a constant; NaN when the targets do not vary.
double explained_variance(std::span<const float> predicted, std::span<const float> targets);

// The architecture hyperparameters every actor-critic algorithm declares (all cold).
std::vector<HyperparameterSpec> actor_critic_hyperparameter_schema();

class ActorCritic {
 public:
  // Reads net_arch, activation_fn, ortho_init and log_std_init; weights drawn from `rng`.
  ActorCritic(const env::EnvSpec& spec, const Hyperparameters& hyperparameters,
              core::Generator& rng);

  bool discrete() const { return discrete_; }
  nn::Index observation_size() const { return obs_dim_; }
  nn::Index action_size() const { return action_dim_; }  // logits for Discrete
  // Actor, critic and (Box) log σ parameters, for one optimizer.
  nn::ParameterList<float> parameters();

  // Agent::act: actions for `batch` observations ([obs x batch] column-major).
  void act(std::span<const float> observations, int batch, bool deterministic, core::Generator& rng,
           std::span<std::int64_t> discrete, std::span<float> continuous);

  // One rollout step: sampled actions (Box: unclipped, as stored in the buffer), their
  // log-probabilities and V(s) for [obs x n] observations.
  struct Sample {
    std::vector<std::int64_t> discrete;  // [n]
    nn::Matrix<float> continuous;        // [action_size x n]
    std::vector<float> log_probs;        // [n]
    std::vector<float> values;           // [n]
  };
  void sample(std::span<const float> observations, int n, core::Generator& rng, Sample& out);
  // V(s) for [obs x n] observations, into `out` (n entries).
  void values(std::span<const float> observations, int n, std::span<float> out);
  // log π(a | s) of k candidate actions for one observation: `discrete` indices or the columns
  // of `continuous` ([action_size x k]), into `out` (k entries).
  void log_probs(std::span<const float> observation, std::span<const std::int64_t> discrete,
                 std::span<const float> continuous, std::span<float> out);
  // Clips Box actions ([action_size x n]) to the action space in place.
  void clip_actions(nn::MatrixMap<float> actions) const;

  // Training pass over a minibatch: log π(a|s), entropy and V(s) under the current weights
  // (caches what backward needs).
  void evaluate(const RolloutMinibatch& minibatch, std::span<float> log_probs,
                std::span<float> entropies, std::span<float> values);
  // Accumulates parameter gradients for a loss whose derivatives are
  //   dL/dlog π_i = log_prob_grads_i, dL/dH_i = entropy_grad (same for all), dL/dV_i =
  //   value_grads_i.
  void backward(const RolloutMinibatch& minibatch, std::span<const float> log_prob_grads,
                float entropy_grad, std::span<const float> value_grads);

  std::vector<nn::StoredTensor> tensors() const;
  core::Status load_tensors(const std::vector<nn::StoredTensor>& tensors);

 private:
  nn::ConstMatrixMap<float> minibatch_actions(const RolloutMinibatch& minibatch) const;
  // The heads' input for observations: the shared trunk's output, or the observations.
  nn::ConstMatrixMap<float> predict_features(const nn::ConstMatrixMap<float>& observations);

  const env::Space action_space_;
  bool discrete_;
  nn::Index obs_dim_;
  nn::Index action_dim_;
  std::optional<nn::Mlp<float>> trunk_;  // shared layers, when net_arch has them
  nn::Mlp<float> actor_;                 // logits (Discrete) or mean (Box)
  nn::Mlp<float> critic_;                // V(s)
  nn::Matrix<float> grad_features_;      // backward(): dL/d(trunk output) from both heads
  nn::Categorical<float> categorical_;
  nn::DiagGaussian<float> gaussian_;
  nn::Matrix<float> candidate_means_;  // log_probs(): μ(s) repeated for each candidate
};

}  // namespace tars::rl
