// Weight initialisers as in torch.nn.init. Randomness comes only from core::Generator, so one
// seed reproduces a network. Matrices are out x in: fan_in = cols, fan_out = rows.
#pragma once

#include "tars/core/rng.h"
#include "tars/nn/tensor.h"

namespace tars::nn {

// torch.nn.init.orthogonal_: QR of a standard normal rows x cols matrix (transposed when
// rows < cols), Q's columns multiplied by the signs of R's diagonal, scaled by `gain`. The
// result has W^T W = gain^2 I (rows >= cols) or W W^T = gain^2 I (rows < cols). Computed in
// double, normals drawn in row-major order.
template <typename Scalar>
void init_orthogonal(MatrixRef<Scalar> weight, double gain, core::Generator& generator);

// torch.nn.init.xavier_uniform_: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).
template <typename Scalar>
void init_xavier_uniform(MatrixRef<Scalar> weight, double gain, core::Generator& generator);

// U(-1/sqrt(fan_in), 1/sqrt(fan_in)): what torch.nn.Linear does to both weight and bias
// (kaiming_uniform_ with a = sqrt(5) reduces to this bound).
template <typename Scalar>
void init_fan_in_uniform(MatrixRef<Scalar> values, Index fan_in, core::Generator& generator);

}  // namespace tars::nn
