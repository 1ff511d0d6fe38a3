#include "tars/nn/activation.h"

#include <limits>
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

namespace {

// tanh within 1 ulp for |x| >= 1, as PyTorch's (Sleef). Eigen's fast tanh is up to 5 ulp off and
// returns exactly ±1 from |x| = 7.99 instead of 9.01, so tanh' = 1 - y² vanishes too early and a
// saturated unit never gets the gradient that would bring it back (PPO's LunarLander critic died
// that way). Below 1, where 1 - 2 / (e^2|x| + 1) would cancel, Eigen's tanh is accurate enough.
template <typename Scalar>
void tanh_in_place(MatrixRef<Scalar> values) {
  const auto x = values.array().max(Scalar(-20)).min(Scalar(20));  // tanh(±20) is ±1 exactly
  const auto abs = x.abs();
  const auto tail = Scalar(1) - Scalar(2) / ((Scalar(2) * abs).exp() + Scalar(1));  // tanh |x|
  const auto sign = x / abs.max(std::numeric_limits<Scalar>::min());
  // 1 where |x| >= 1, else 0: arithmetic rather than select(), which Eigen 3.4 does not vectorise.
  const auto large = abs.floor().min(Scalar(1));
  values.array() = (Scalar(1) - large) * x.tanh() + large * sign * tail;
}

}  // namespace

template <typename Scalar>
void activate(Activation activation, MatrixRef<Scalar> values) {
  switch (activation) {
    case Activation::kIdentity:
      return;
    case Activation::kTanh:
      tanh_in_place(values);
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
