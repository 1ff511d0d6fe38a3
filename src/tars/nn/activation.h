// Element-wise activations, applied in place on a layer's output buffer. Their derivatives are
// computed from the activated output (tanh' = 1 - y^2, relu' = [y > 0]), so no pre-activation
// copy is kept.
#pragma once

#include <string_view>

#include "tars/core/status.h"
#include "tars/nn/tensor.h"

namespace tars::nn {

enum class Activation { kIdentity, kTanh, kReLU };

// "identity", "tanh", "relu" (Stable-Baselines3's activation_fn names without "nn.").
const char* activation_name(Activation activation);
// Parses the names above (case-sensitive); an error names the accepted values.
core::Expected<Activation> parse_activation(std::string_view name);

// y = f(x), in place.
template <typename Scalar>
void activate(Activation activation, MatrixRef<Scalar> values);

// grad <- grad * f'(x), where `output` holds y = f(x); in place on `grad`.
template <typename Scalar>
void activation_backward(Activation activation, const ConstMatrixRef<Scalar>& output,
                         MatrixRef<Scalar> grad);

}  // namespace tars::nn
