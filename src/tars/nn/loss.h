// Regression losses with their gradient with respect to the predictions, mean-reduced over all
// elements as PyTorch's reduction="mean". Optional per-sample (per-column) weights, as
// prioritized replay's importance weights, multiply each sample's terms before the mean:
// loss = sum_ij w_j l(p_ij - t_ij) / (rows * cols), weights are not renormalised.
#pragma once

#include <span>

#include "tars/nn/tensor.h"

namespace tars::nn {

// Mean squared error (p - t)^2, as torch.nn.functional.mse_loss. Writes dloss/dprediction into
// `grad` (same shape as prediction) and returns the loss. `weights` is empty or has one entry per
// column. Shape mismatches throw std::invalid_argument.
template <typename Scalar>
Scalar mse_loss(const ConstMatrixRef<Scalar>& prediction, const ConstMatrixRef<Scalar>& target,
                MatrixRef<Scalar> grad, std::span<const Scalar> weights = {});

// Huber loss: 0.5 x^2 for |x| < delta, delta * (|x| - 0.5 delta) otherwise, x = p - t, as
// torch.nn.functional.huber_loss; with delta = 1 it is smooth_l1_loss, which SB3's DQN uses.
template <typename Scalar>
Scalar huber_loss(const ConstMatrixRef<Scalar>& prediction, const ConstMatrixRef<Scalar>& target,
                  MatrixRef<Scalar> grad, std::span<const Scalar> weights = {},
                  Scalar delta = Scalar(1));

}  // namespace tars::nn
