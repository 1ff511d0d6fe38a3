// Global gradient-norm clipping, as torch.nn.utils.clip_grad_norm_.
#pragma once

#include "tars/nn/tensor.h"

namespace tars::nn {

// Returns the L2 norm of all gradients taken together (before clipping) and, when
// max_norm / (norm + 1e-6) < 1, multiplies every gradient by that factor. A non-finite norm is
// returned as is and scales the gradients by NaN, as PyTorch does without error_if_nonfinite.
template <typename Scalar>
Scalar clip_grad_norm(const ParameterList<Scalar>& parameters, Scalar max_norm);

}  // namespace tars::nn
