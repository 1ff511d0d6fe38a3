// Diagonal Gaussian action distribution with a state-independent log standard deviation (a
// trainable vector, as Stable-Baselines3's PPO / A2C for Box actions): the network outputs the
// mean (action_dim x batch), log_std is a parameter of this head. No squashing.
#pragma once

#include <span>
#include <string>

#include "tars/core/rng.h"
#include "tars/nn/tensor.h"

namespace tars::nn {

template <typename Scalar>
class DiagGaussian {
 public:
  // log_std starts at `log_std_init` (SB3's default 0).
  explicit DiagGaussian(Index action_dim, Scalar log_std_init = Scalar(0));

  Index action_dim() const { return log_std_.size(); }
  Index batch_size() const { return mean_.cols(); }

  // Keeps a copy of the mean (action_dim x batch) and refreshes std = exp(log_std).
  void forward(const ConstMatrixRef<Scalar>& mean);
  ConstMatrixMap<Scalar> mean() const { return mean_.const_view(); }  // also the mode

  // out_i = sum_j log N(actions_ji; mean_ji, std_j^2); actions are action_dim x batch.
  void log_prob(const ConstMatrixRef<Scalar>& actions, std::span<Scalar> out) const;
  // Per-sample entropy sum_j (0.5 + 0.5 log(2 pi) + log_std_j): the same for every sample.
  Scalar entropy() const;
  // out = mean + std * eps, eps ~ N(0, 1) from generator.standard_normal() in column order.
  void sample(core::Generator& generator, MatrixRef<Scalar> out) const;

  // For L = sum_i weights_i * log_prob_i + entropy_coef * sum_i H_i: returns dL/dmean (valid
  // until the next backward) and accumulates dL/dlog_std into log_std_grad().
  ConstMatrixMap<Scalar> backward(const ConstMatrixRef<Scalar>& actions,
                                  std::span<const Scalar> weights, Scalar entropy_coef);

  void zero_grad() { log_std_grad_.setZero(); }
  // "<prefix>log_std".
  ParameterList<Scalar> parameters(const std::string& prefix = "");
  Vector<Scalar>& log_std() { return log_std_; }
  const Vector<Scalar>& log_std() const { return log_std_; }
  const Vector<Scalar>& log_std_grad() const { return log_std_grad_; }

 private:
  void check(const ConstMatrixRef<Scalar>& actions, std::size_t n) const;

  Vector<Scalar> log_std_;
  Vector<Scalar> log_std_grad_;
  Vector<Scalar> inv_var_;  // 1 / std^2, from the last forward
  Workspace<Scalar> mean_;
  Workspace<Scalar> grad_mean_;
};

}  // namespace tars::nn
