// RMSprop over a parameter list, step for step as torch.optim.RMSprop:
//   g <- grad + weight_decay * param
//   v <- alpha v + (1 - alpha) g^2                       (v starts at 0)
//   centered: m <- alpha m + (1 - alpha) g, denom = sqrt(v - m^2) + eps; else denom = sqrt(v) + eps
//   momentum > 0: b <- momentum b + g / denom, param <- param - lr b
//   otherwise:    param <- param - lr g / denom
// Stable-Baselines3's A2C uses alpha = 0.99, eps = 1e-5, no momentum, not centered. Note that eps
// is outside the square root (TensorFlow's RMSprop puts it inside and starts v at 1).
#pragma once

#include <cstdint>

#include "tars/nn/tensor.h"

namespace tars::nn {

struct RmspropOptions {
  double lr = 1e-2;           // learning rate
  double alpha = 0.99;        // smoothing constant of the squared-gradient average
  double eps = 1e-8;          // added to the root of the average
  double weight_decay = 0.0;  // L2 coefficient added to the gradient
  double momentum = 0.0;      // heavy-ball momentum on the scaled step
  bool centered = false;      // normalise by the estimated variance instead of the raw moment
};

template <typename Scalar>
class Rmsprop {
 public:
  // The parameters' storage must outlive the optimizer (see Parameter).
  Rmsprop(ParameterList<Scalar> parameters, RmspropOptions options = {});

  void step();
  void zero_grad();

  double lr() const { return options_.lr; }
  void set_lr(double lr) { options_.lr = lr; }
  const RmspropOptions& options() const { return options_; }
  const ParameterList<Scalar>& parameters() const { return parameters_; }

  // "<param>.square_avg", and "<param>.momentum_buffer" / "<param>.grad_avg" when used.
  std::vector<NamedTensor<Scalar>> state();
  std::vector<ConstNamedTensor<Scalar>> state() const;
  std::int64_t step_count() const { return step_count_; }
  void set_step_count(std::int64_t steps) { step_count_ = steps; }

  // Bytes of the optimizer's own state (moments), for memory accounting.
  std::uint64_t state_bytes() const {
    std::uint64_t elements = 0;
    for (const auto* state : {&square_avg_, &grad_avg_, &momentum_buffer_}) {
      for (const Matrix<Scalar>& m : *state) elements += static_cast<std::uint64_t>(m.size());
    }
    return elements * sizeof(Scalar);
  }

 private:
  // state() for either constness: Tensor is NamedTensor or ConstNamedTensor.
  template <typename Tensor, typename Self>
  static std::vector<Tensor> collect_state(Self& self);

  ParameterList<Scalar> parameters_;
  RmspropOptions options_;
  std::vector<Matrix<Scalar>> square_avg_;
  std::vector<Matrix<Scalar>> grad_avg_;         // centered only
  std::vector<Matrix<Scalar>> momentum_buffer_;  // momentum > 0 only
  Matrix<Scalar> grad_;                          // scratch for the decayed gradient
  std::int64_t step_count_ = 0;
};

}  // namespace tars::nn
