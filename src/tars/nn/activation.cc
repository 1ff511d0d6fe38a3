#include "tars/nn/activation.h"

#include <string>

namespace tars::nn {

const char* activation_name(Activation activation) {
  switch (activation) {
    case Activation::kIdentity:
      return "identity";
    case Activation::kTanh:
      return "tanh";
    case Activation::kReLU:
      return "relu";
  }
  return "unknown";
}

core::Expected<Activation> parse_activation(std::string_view name) {
  for (Activation a : {Activation::kIdentity, Activation::kTanh, Activation::kReLU}) {
    if (name == activation_name(a)) return a;
  }
  return core::invalid_argument("activation: expected one of identity, tanh, relu, got '" +
                                std::string(name) + "'");
}

template <typename Scalar>
void activate(Activation activation, MatrixRef<Scalar> values) {
  switch (activation) {
    case Activation::kIdentity:
      return;
    case Activation::kTanh:
      values.array() = values.array().tanh();
      return;
    case Activation::kReLU:
      values.array() = values.array().max(Scalar(0));
      return;
  }
}

template <typename Scalar>
void activation_backward(Activation activation, const ConstMatrixRef<Scalar>& output,
                         MatrixRef<Scalar> grad) {
  switch (activation) {
    case Activation::kIdentity:
      return;
    case Activation::kTanh:
      grad.array() *= Scalar(1) - output.array().square();
      return;
    case Activation::kReLU:
      grad.array() = (output.array() > Scalar(0)).select(grad.array(), Scalar(0));
      return;
  }
}

template void activate<float>(Activation, MatrixRef<float>);
template void activate<double>(Activation, MatrixRef<double>);
template void activation_backward<float>(Activation, const ConstMatrixRef<float>&,
                                         MatrixRef<float>);
template void activation_backward<double>(Activation, const ConstMatrixRef<double>&,
                                          MatrixRef<double>);

}  // namespace tars::nn
