// Fully connected layer y = W x + b on batches (in x batch -> out x batch), with explicit backward.
#pragma once

#include <string>

#include "tars/nn/tensor.h"

namespace tars::nn {

template <typename Scalar>
class Linear {
 public:
  // Weight (out x in) and bias start at zero; initialise them with nn/init.h. Throws
  // std::invalid_argument for non-positive sizes.
  Linear(Index in_features, Index out_features);

  Index in_features() const { return weight_.cols(); }
  Index out_features() const { return weight_.rows(); }

  // y = W x + b for each column of `input`; keeps a copy of `input` for backward. The returned
  // view (out x batch) stays valid until the next forward and may be modified in place.
  MatrixMap<Scalar> forward(const ConstMatrixRef<Scalar>& input);
  // Accumulates dW += g x^T and db += sum over the batch of g (PyTorch semantics: zero_grad()
  // first), and returns dL/dx = W^T g (in x batch), valid until the next backward.
  ConstMatrixMap<Scalar> backward(const ConstMatrixRef<Scalar>& grad_output);

  // Building blocks without caching, for owners that keep the activations themselves (Mlp).
  // output = W input + b (output must be out x batch).
  void predict(const ConstMatrixRef<Scalar>& input, MatrixRef<Scalar> output) const;
  // dW += grad_output input^T, db += row sums of grad_output.
  void accumulate_grad(const ConstMatrixRef<Scalar>& input,
                       const ConstMatrixRef<Scalar>& grad_output);
  // grad_input = W^T grad_output (grad_input must be in x batch).
  void input_grad(const ConstMatrixRef<Scalar>& grad_output, MatrixRef<Scalar> grad_input) const;

  void zero_grad();
  // "<prefix>weight" and "<prefix>bias".
  ParameterList<Scalar> parameters(const std::string& prefix = "");

  Matrix<Scalar>& weight() { return weight_; }
  const Matrix<Scalar>& weight() const { return weight_; }
  Vector<Scalar>& bias() { return bias_; }
  const Vector<Scalar>& bias() const { return bias_; }
  const Matrix<Scalar>& weight_grad() const { return weight_grad_; }
  const Vector<Scalar>& bias_grad() const { return bias_grad_; }

 private:
  Matrix<Scalar> weight_;
  Vector<Scalar> bias_;
  Matrix<Scalar> weight_grad_;
  Vector<Scalar> bias_grad_;
  Workspace<Scalar> input_;
  Workspace<Scalar> output_;
  Workspace<Scalar> grad_input_;
};

}  // namespace tars::nn
