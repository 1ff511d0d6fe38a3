// Adam (Kingma & Ba, 2015) over a parameter list, step for step as torch.optim.Adam (amsgrad off):
//   g <- grad + weight_decay * param          (L2 penalty added to the gradient, not AdamW's
//                                              decoupled decay)
//   m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2
//   param <- param - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
#pragma once

#include <cstdint>

#include "tars/nn/tensor.h"

namespace tars::nn {

struct AdamOptions {
  double lr = 1e-3;           // learning rate alpha
  double beta1 = 0.9;         // decay of the first-moment estimate
  double beta2 = 0.999;       // decay of the second-moment estimate
  double eps = 1e-8;          // added to the bias-corrected sqrt(v) (SB3's PPO / A2C use 1e-5)
  double weight_decay = 0.0;  // L2 coefficient added to the gradient, as PyTorch's Adam
};

template <typename Scalar>
class Adam {
 public:
  // The parameters' storage must outlive the optimizer (see Parameter).
  Adam(ParameterList<Scalar> parameters, AdamOptions options = {});

  // One update from the current gradients (gradients are left as they are).
  void step();
  // Sets every parameter's gradient to zero.
  void zero_grad();

  double lr() const { return options_.lr; }
  // Takes effect at the next step (learning-rate schedules).
  void set_lr(double lr) { options_.lr = lr; }
  const AdamOptions& options() const { return options_; }
  const ParameterList<Scalar>& parameters() const { return parameters_; }

  // Optimizer state for checkpoints: "<param>.exp_avg" and "<param>.exp_avg_sq" per parameter
  // (PyTorch's state names), writable to restore; plus the number of steps taken.
  std::vector<NamedTensor<Scalar>> state();
  std::vector<ConstNamedTensor<Scalar>> state() const;
  std::int64_t step_count() const { return step_count_; }
  void set_step_count(std::int64_t steps) { step_count_ = steps; }

  // Bytes of the optimizer's own state (moments), for memory accounting.
  std::uint64_t state_bytes() const {
    std::uint64_t elements = 0;
    for (const auto* state : {&exp_avg_, &exp_avg_sq_}) {
      for (const Matrix<Scalar>& m : *state) elements += static_cast<std::uint64_t>(m.size());
    }
    return elements * sizeof(Scalar);
  }

 private:
  // state() for either constness: Tensor is NamedTensor or ConstNamedTensor.
  template <typename Tensor, typename Self>
  static std::vector<Tensor> collect_state(Self& self);

  ParameterList<Scalar> parameters_;
  AdamOptions options_;
  std::vector<Matrix<Scalar>> exp_avg_;
  std::vector<Matrix<Scalar>> exp_avg_sq_;
  std::int64_t step_count_ = 0;
};

}  // namespace tars::nn
