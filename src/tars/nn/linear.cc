#include "tars/nn/linear.h"

#include <stdexcept>

namespace tars::nn {

template <typename Scalar>
Linear<Scalar>::Linear(Index in_features, Index out_features) {
  if (in_features <= 0 || out_features <= 0) {
    throw std::invalid_argument("Linear: sizes must be positive, got " +
                                std::to_string(in_features) + " x " + std::to_string(out_features));
  }
  weight_.setZero(out_features, in_features);
  bias_.setZero(out_features);
  weight_grad_.setZero(out_features, in_features);
  bias_grad_.setZero(out_features);
}

template <typename Scalar>
MatrixMap<Scalar> Linear<Scalar>::forward(const ConstMatrixRef<Scalar>& input) {
  auto x = input_.resize(input.rows(), input.cols());
  x = input;
  auto y = output_.resize(out_features(), input.cols());
  predict(x, y);
  return y;
}

template <typename Scalar>
ConstMatrixMap<Scalar> Linear<Scalar>::backward(const ConstMatrixRef<Scalar>& grad_output) {
  accumulate_grad(input_.view(), grad_output);
  auto grad_input = grad_input_.resize(in_features(), grad_output.cols());
  input_grad(grad_output, grad_input);
  return grad_input_.const_view();
}

template <typename Scalar>
void Linear<Scalar>::predict(const ConstMatrixRef<Scalar>& input, MatrixRef<Scalar> output) const {
  if (input.rows() != in_features() || output.rows() != out_features() ||
      output.cols() != input.cols()) {
    throw std::invalid_argument("Linear " + std::to_string(in_features()) + " -> " +
                                std::to_string(out_features()) + ": input has " +
                                std::to_string(input.rows()) + " rows");
  }
  output.noalias() = weight_ * input;
  output.colwise() += bias_;
}

template <typename Scalar>
void Linear<Scalar>::accumulate_grad(const ConstMatrixRef<Scalar>& input,
                                     const ConstMatrixRef<Scalar>& grad_output) {
  if (grad_output.rows() != out_features() || input.rows() != in_features() ||
      grad_output.cols() != input.cols()) {
    throw std::invalid_argument("Linear: grad_output shape does not match the input");
  }
  weight_grad_.noalias() += grad_output * input.transpose();
  bias_grad_.noalias() += grad_output.rowwise().sum();
}

template <typename Scalar>
void Linear<Scalar>::input_grad(const ConstMatrixRef<Scalar>& grad_output,
                                MatrixRef<Scalar> grad_input) const {
  if (grad_output.rows() != out_features() || grad_input.rows() != in_features() ||
      grad_input.cols() != grad_output.cols()) {
    throw std::invalid_argument("Linear: grad_input shape does not match grad_output");
  }
  grad_input.noalias() = weight_.transpose() * grad_output;
}

template <typename Scalar>
void Linear<Scalar>::zero_grad() {
  weight_grad_.setZero();
  bias_grad_.setZero();
}

template <typename Scalar>
ParameterList<Scalar> Linear<Scalar>::parameters(const std::string& prefix) {
  ParameterList<Scalar> list;
  list.push_back({prefix + "weight", as_map(weight_), as_map(weight_grad_)});
  list.push_back({prefix + "bias", as_map(bias_), as_map(bias_grad_)});
  return list;
}

template class Linear<float>;
template class Linear<double>;

}  // namespace tars::nn
