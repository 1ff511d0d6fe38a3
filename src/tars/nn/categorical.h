// Categorical action distribution over discrete actions, from logits (actions x batch): stable
// log-softmax, log-probabilities, entropy, sampling, argmax, and the gradient of the RL losses
// with respect to the logits.
#pragma once

#include <cstdint>
#include <span>

#include "tars/core/rng.h"
#include "tars/nn/tensor.h"

namespace tars::nn {

template <typename Scalar>
class Categorical {
 public:
  // log p = logits - logsumexp(logits) per column (max subtracted first); keeps log p and p.
  void forward(const ConstMatrixRef<Scalar>& logits);

  Index num_actions() const { return log_probs_.rows(); }
  Index batch_size() const { return log_probs_.cols(); }
  ConstMatrixMap<Scalar> log_probs() const { return log_probs_.const_view(); }
  ConstMatrixMap<Scalar> probs() const { return probs_.const_view(); }

  // Each `out` / `actions` span has batch_size() entries; an action outside [0, num_actions())
  // throws std::out_of_range.
  // out_i = log p(actions_i | column i).
  void log_prob(std::span<const std::int64_t> actions, std::span<Scalar> out) const;
  // out_i = -sum_a p_a log p_a.
  void entropy(std::span<Scalar> out) const;
  // One draw per column by inverting the CDF with generator.random().
  void sample(core::Generator& generator, std::span<std::int64_t> out) const;
  // The most probable action per column (the first on ties).
  void argmax(std::span<std::int64_t> out) const;

  // Gradient with respect to the logits of
  //   sum_i weights_i * log p(actions_i | i) + entropy_coef * sum_i H_i,
  // i.e. column i is weights_i * (onehot(a_i) - p_i) - entropy_coef * p_i * (log p_i + H_i).
  // Algorithms pass the derivatives of their loss (e.g. weights = -advantage / n). Valid until
  // the next backward.
  ConstMatrixMap<Scalar> backward(std::span<const std::int64_t> actions,
                                  std::span<const Scalar> weights, Scalar entropy_coef);

 private:
  void check_batch(std::size_t n, const char* what) const;
  std::int64_t checked_action(std::int64_t action) const;

  Workspace<Scalar> log_probs_;
  Workspace<Scalar> probs_;
  Workspace<Scalar> grad_;
};

}  // namespace tars::nn
