#include "tars/nn/loss.h"

#include <cmath>
#include <stdexcept>

namespace tars::nn {

namespace {

template <typename Scalar>
void check_shapes(const ConstMatrixRef<Scalar>& prediction, const ConstMatrixRef<Scalar>& target,
                  const MatrixRef<Scalar>& grad, std::span<const Scalar> weights) {
  if (target.rows() != prediction.rows() || target.cols() != prediction.cols() ||
      grad.rows() != prediction.rows() || grad.cols() != prediction.cols()) {
    throw std::invalid_argument("loss: prediction, target and grad must have the same shape");
  }
  if (!weights.empty() && static_cast<Index>(weights.size()) != prediction.cols()) {
    throw std::invalid_argument("loss: need one weight per sample (column)");
  }
}

}  // namespace

template <typename Scalar>
Scalar mse_loss(const ConstMatrixRef<Scalar>& prediction, const ConstMatrixRef<Scalar>& target,
                MatrixRef<Scalar> grad, std::span<const Scalar> weights) {
  check_shapes(prediction, target, grad, weights);
  const Index n = prediction.size();
  if (n == 0) return Scalar(0);
  const Scalar scale = Scalar(1) / static_cast<Scalar>(n);
  Scalar loss = 0;
  for (Index j = 0; j < prediction.cols(); ++j) {
    const Scalar w = weights.empty() ? Scalar(1) : weights[j];
    auto diff = grad.col(j);
    diff = prediction.col(j) - target.col(j);
    loss += w * diff.squaredNorm();
    diff *= Scalar(2) * w * scale;
  }
  return loss * scale;
}

template <typename Scalar>
Scalar huber_loss(const ConstMatrixRef<Scalar>& prediction, const ConstMatrixRef<Scalar>& target,
                  MatrixRef<Scalar> grad, std::span<const Scalar> weights, Scalar delta) {
  check_shapes(prediction, target, grad, weights);
  if (!(delta > 0)) throw std::invalid_argument("huber_loss: delta must be positive");
  const Index n = prediction.size();
  if (n == 0) return Scalar(0);
  const Scalar scale = Scalar(1) / static_cast<Scalar>(n);
  Scalar loss = 0;
  for (Index j = 0; j < prediction.cols(); ++j) {
    const Scalar w = weights.empty() ? Scalar(1) : weights[j];
    Scalar column = 0;
    for (Index i = 0; i < prediction.rows(); ++i) {
      const Scalar x = prediction(i, j) - target(i, j);
      const Scalar a = std::abs(x);
      if (a < delta) {
        column += Scalar(0.5) * x * x;
        grad(i, j) = w * scale * x;
      } else {
        column += delta * (a - Scalar(0.5) * delta);
        grad(i, j) = w * scale * (x > 0 ? delta : -delta);
      }
    }
    loss += w * column;
  }
  return loss * scale;
}

template float mse_loss<float>(const ConstMatrixRef<float>&, const ConstMatrixRef<float>&,
                               MatrixRef<float>, std::span<const float>);
template double mse_loss<double>(const ConstMatrixRef<double>&, const ConstMatrixRef<double>&,
                                 MatrixRef<double>, std::span<const double>);
template float huber_loss<float>(const ConstMatrixRef<float>&, const ConstMatrixRef<float>&,
                                 MatrixRef<float>, std::span<const float>, float);
template double huber_loss<double>(const ConstMatrixRef<double>&, const ConstMatrixRef<double>&,
                                   MatrixRef<double>, std::span<const double>, double);

}  // namespace tars::nn
