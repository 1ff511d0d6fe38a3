// Deterministic bounded head for continuous actions (DDPG / TD3 actors): a = center + half_range *
// tanh(x), which maps the pre-activation x (action_dim x batch) into the box [low, high].
#pragma once

#include "tars/nn/tensor.h"

namespace tars::nn {

template <typename Scalar>
class TanhBounded {
 public:
  // low and high have one entry per action dimension, finite, low < high (std::invalid_argument
  // otherwise).
  TanhBounded(Vector<Scalar> low, Vector<Scalar> high);

  Index action_dim() const { return low_.size(); }
  const Vector<Scalar>& low() const { return low_; }
  const Vector<Scalar>& high() const { return high_; }

  // Actions for x; keeps tanh(x) for backward. Valid until the next forward.
  ConstMatrixMap<Scalar> forward(const ConstMatrixRef<Scalar>& x);
  // dL/dx = dL/da * half_range * (1 - tanh(x)^2) for the last forward. Valid until the next
  // backward.
  ConstMatrixMap<Scalar> backward(const ConstMatrixRef<Scalar>& grad_action);
  // Actions without caching (inference).
  void predict(const ConstMatrixRef<Scalar>& x, MatrixRef<Scalar> action) const;

  // Box -> [-1, 1] and back (SB3's scale_action / unscale_action), column by column.
  void to_unit(const ConstMatrixRef<Scalar>& action, MatrixRef<Scalar> unit) const;
  void from_unit(const ConstMatrixRef<Scalar>& unit, MatrixRef<Scalar> action) const;

 private:
  void check(Index rows, Index cols, Index expected_cols, const char* what) const;

  Vector<Scalar> low_;
  Vector<Scalar> high_;
  Vector<Scalar> center_;
  Vector<Scalar> half_range_;
  Workspace<Scalar> tanh_;
  Workspace<Scalar> action_;
  Workspace<Scalar> grad_;
};

}  // namespace tars::nn
