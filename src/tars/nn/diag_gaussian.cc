#include "tars/nn/diag_gaussian.h"

#include <cmath>
#include <stdexcept>

namespace tars::nn {

namespace {
// 0.5 * log(2 pi).
template <typename Scalar>
constexpr Scalar kHalfLog2Pi = Scalar(0.91893853320467274178032973640562);
}  // namespace

template <typename Scalar>
DiagGaussian<Scalar>::DiagGaussian(Index action_dim, Scalar log_std_init) {
  if (action_dim <= 0) throw std::invalid_argument("DiagGaussian: action_dim must be positive");
  log_std_.setConstant(action_dim, log_std_init);
  log_std_grad_.setZero(action_dim);
  inv_var_.setZero(action_dim);
}

template <typename Scalar>
void DiagGaussian<Scalar>::forward(const ConstMatrixRef<Scalar>& mean) {
  if (mean.rows() != action_dim()) {
    throw std::invalid_argument("DiagGaussian: mean has " + std::to_string(mean.rows()) +
                                " rows, action_dim is " + std::to_string(action_dim()));
  }
  auto m = mean_.resize(mean.rows(), mean.cols());
  m = mean;
  inv_var_.array() = (Scalar(-2) * log_std_.array()).exp();
}

template <typename Scalar>
void DiagGaussian<Scalar>::check(const ConstMatrixRef<Scalar>& actions, std::size_t n) const {
  if (actions.rows() != action_dim() || actions.cols() != batch_size() ||
      static_cast<Index>(n) != batch_size()) {
    throw std::invalid_argument("DiagGaussian: actions / weights do not match the last forward");
  }
}

template <typename Scalar>
void DiagGaussian<Scalar>::log_prob(const ConstMatrixRef<Scalar>& actions,
                                    std::span<Scalar> out) const {
  check(actions, out.size());
  const auto m = mean();
  const Scalar constant = -log_std_.sum() - static_cast<Scalar>(action_dim()) * kHalfLog2Pi<Scalar>;
  for (Index i = 0; i < batch_size(); ++i) {
    const Scalar quad = ((actions.col(i) - m.col(i)).array().square() * inv_var_.array()).sum();
    out[i] = Scalar(-0.5) * quad + constant;
  }
}

template <typename Scalar>
Scalar DiagGaussian<Scalar>::entropy() const {
  return log_std_.sum() + static_cast<Scalar>(action_dim()) * (Scalar(0.5) + kHalfLog2Pi<Scalar>);
}

template <typename Scalar>
void DiagGaussian<Scalar>::sample(core::Generator& generator, MatrixRef<Scalar> out) const {
  const auto m = mean();
  if (out.rows() != m.rows() || out.cols() != m.cols()) {
    throw std::invalid_argument("DiagGaussian::sample: out must be action_dim x batch");
  }
  for (Index i = 0; i < m.cols(); ++i) {
    for (Index j = 0; j < m.rows(); ++j) {
      const auto eps = static_cast<Scalar>(generator.standard_normal());
      out(j, i) = m(j, i) + std::exp(log_std_(j)) * eps;
    }
  }
}

template <typename Scalar>
ConstMatrixMap<Scalar> DiagGaussian<Scalar>::backward(const ConstMatrixRef<Scalar>& actions,
                                                      std::span<const Scalar> weights,
                                                      Scalar entropy_coef) {
  check(actions, weights.size());
  const auto m = mean();
  auto grad = grad_mean_.resize(m.rows(), m.cols());
  Scalar weight_sum = 0;
  for (Index i = 0; i < m.cols(); ++i) {
    // z = (a - mean) / std^2: d log p / d mean = z, d log p / d log_std = (a - mean) z - 1.
    grad.col(i).array() = (actions.col(i) - m.col(i)).array() * inv_var_.array();
    log_std_grad_.array() += weights[i] * (actions.col(i) - m.col(i)).array() * grad.col(i).array();
    grad.col(i) *= weights[i];
    weight_sum += weights[i];
  }
  // The "-1" of every sample's log-prob derivative, and dH/dlog_std = 1 per sample.
  log_std_grad_.array() += entropy_coef * static_cast<Scalar>(m.cols()) - weight_sum;
  return grad_mean_.const_view();
}

template <typename Scalar>
ParameterList<Scalar> DiagGaussian<Scalar>::parameters(const std::string& prefix) {
  ParameterList<Scalar> list;
  list.push_back({prefix + "log_std", as_map(log_std_), as_map(log_std_grad_)});
  return list;
}

template class DiagGaussian<float>;
template class DiagGaussian<double>;

}  // namespace tars::nn
