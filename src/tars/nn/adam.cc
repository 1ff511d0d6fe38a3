#include "tars/nn/adam.h"

#include <cmath>
#include <utility>

namespace tars::nn {

template <typename Scalar>
Adam<Scalar>::Adam(ParameterList<Scalar> parameters, AdamOptions options)
    : parameters_(std::move(parameters)), options_(options) {
  exp_avg_.reserve(parameters_.size());
  exp_avg_sq_.reserve(parameters_.size());
  for (const auto& p : parameters_) {
    exp_avg_.push_back(Matrix<Scalar>::Zero(p.value.rows(), p.value.cols()));
    exp_avg_sq_.push_back(Matrix<Scalar>::Zero(p.value.rows(), p.value.cols()));
  }
}

template <typename Scalar>
void Adam<Scalar>::step() {
  ++step_count_;
  const double t = static_cast<double>(step_count_);
  // 1 - beta in double first: 1 - 0.999f in float is off by 1e-5 relative.
  const auto beta1 = static_cast<Scalar>(options_.beta1);
  const auto beta2 = static_cast<Scalar>(options_.beta2);
  const auto one_minus_beta1 = static_cast<Scalar>(1.0 - options_.beta1);
  const auto one_minus_beta2 = static_cast<Scalar>(1.0 - options_.beta2);
  const auto step_size = static_cast<Scalar>(options_.lr / (1.0 - std::pow(options_.beta1, t)));
  const auto bias_correction2_sqrt =
      static_cast<Scalar>(std::sqrt(1.0 - std::pow(options_.beta2, t)));
  const auto eps = static_cast<Scalar>(options_.eps);
  const auto weight_decay = static_cast<Scalar>(options_.weight_decay);
  for (std::size_t k = 0; k < parameters_.size(); ++k) {
    auto& p = parameters_[k];
    auto& m = exp_avg_[k];
    auto& v = exp_avg_sq_[k];
    if (weight_decay != Scalar(0)) {
      const auto g = p.grad.array() + weight_decay * p.value.array();
      m.array() = beta1 * m.array() + one_minus_beta1 * g;
      v.array() = beta2 * v.array() + one_minus_beta2 * g * g;
    } else {
      m.array() = beta1 * m.array() + one_minus_beta1 * p.grad.array();
      v.array() = beta2 * v.array() + one_minus_beta2 * p.grad.array().square();
    }
    p.value.array() -= step_size * m.array() / (v.array().sqrt() / bias_correction2_sqrt + eps);
  }
}

template <typename Scalar>
void Adam<Scalar>::zero_grad() {
  for (auto& p : parameters_) p.grad.setZero();
}

template <typename Scalar>
template <typename Tensor, typename Self>
std::vector<Tensor> Adam<Scalar>::collect_state(Self& self) {
  using Map = decltype(Tensor::value);
  std::vector<Tensor> out;
  out.reserve(2 * self.parameters_.size());
  for (std::size_t k = 0; k < self.parameters_.size(); ++k) {
    auto& m = self.exp_avg_[k];
    auto& v = self.exp_avg_sq_[k];
    out.push_back({self.parameters_[k].name + ".exp_avg", Map(m.data(), m.rows(), m.cols())});
    out.push_back({self.parameters_[k].name + ".exp_avg_sq", Map(v.data(), v.rows(), v.cols())});
  }
  return out;
}

template <typename Scalar>
std::vector<NamedTensor<Scalar>> Adam<Scalar>::state() {
  return collect_state<NamedTensor<Scalar>>(*this);
}

template <typename Scalar>
std::vector<ConstNamedTensor<Scalar>> Adam<Scalar>::state() const {
  return collect_state<ConstNamedTensor<Scalar>>(*this);
}

template class Adam<float>;
template class Adam<double>;

}  // namespace tars::nn
