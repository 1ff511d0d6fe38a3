#include "tars/nn/rmsprop.h"

#include <algorithm>
#include <utility>

namespace tars::nn {

template <typename Scalar>
Rmsprop<Scalar>::Rmsprop(ParameterList<Scalar> parameters, RmspropOptions options)
    : parameters_(std::move(parameters)), options_(options) {
  Index largest = 0;
  for (const auto& p : parameters_) {
    const auto zero = Matrix<Scalar>::Zero(p.value.rows(), p.value.cols());
    square_avg_.emplace_back(zero);
    if (options_.centered) grad_avg_.emplace_back(zero);
    if (options_.momentum > 0) momentum_buffer_.emplace_back(zero);
    largest = std::max(largest, p.value.size());
  }
  grad_.resize(largest, 1);
}

template <typename Scalar>
void Rmsprop<Scalar>::step() {
  ++step_count_;
  const auto lr = static_cast<Scalar>(options_.lr);
  const auto alpha = static_cast<Scalar>(options_.alpha);
  const auto one_minus_alpha = static_cast<Scalar>(1.0 - options_.alpha);  // computed in double
  const auto eps = static_cast<Scalar>(options_.eps);
  const auto weight_decay = static_cast<Scalar>(options_.weight_decay);
  const auto momentum = static_cast<Scalar>(options_.momentum);
  for (std::size_t k = 0; k < parameters_.size(); ++k) {
    auto& p = parameters_[k];
    MatrixMap<Scalar> g(grad_.data(), p.value.rows(), p.value.cols());
    g = p.grad + weight_decay * p.value;
    auto& v = square_avg_[k];
    v.array() = alpha * v.array() + one_minus_alpha * g.array().square();
    // g <- g / denom, in place.
    if (options_.centered) {
      auto& m = grad_avg_[k];
      m.array() = alpha * m.array() + one_minus_alpha * g.array();
      g.array() /= (v.array() - m.array().square()).sqrt() + eps;
    } else {
      g.array() /= v.array().sqrt() + eps;
    }
    if (options_.momentum > 0) {
      auto& b = momentum_buffer_[k];
      b = momentum * b + g;
      p.value -= lr * b;
    } else {
      p.value -= lr * g;
    }
  }
}

template <typename Scalar>
void Rmsprop<Scalar>::zero_grad() {
  for (auto& p : parameters_) p.grad.setZero();
}

template <typename Scalar>
template <typename Tensor, typename Self>
std::vector<Tensor> Rmsprop<Scalar>::collect_state(Self& self) {
  using Map = decltype(Tensor::value);
  std::vector<Tensor> out;
  const auto add = [&out](const std::string& name, auto& matrix) {
    out.push_back({name, Map(matrix.data(), matrix.rows(), matrix.cols())});
  };
  for (std::size_t k = 0; k < self.parameters_.size(); ++k) {
    const std::string& name = self.parameters_[k].name;
    add(name + ".square_avg", self.square_avg_[k]);
    if (self.options_.momentum > 0) add(name + ".momentum_buffer", self.momentum_buffer_[k]);
    if (self.options_.centered) add(name + ".grad_avg", self.grad_avg_[k]);
  }
  return out;
}

template <typename Scalar>
std::vector<NamedTensor<Scalar>> Rmsprop<Scalar>::state() {
  return collect_state<NamedTensor<Scalar>>(*this);
}

template <typename Scalar>
std::vector<ConstNamedTensor<Scalar>> Rmsprop<Scalar>::state() const {
  return collect_state<ConstNamedTensor<Scalar>>(*this);
}

template class Rmsprop<float>;
template class Rmsprop<double>;

}  // namespace tars::nn
