#include "tars/nn/categorical.h"

#include <stdexcept>
#include <string>

namespace tars::nn {

template <typename Scalar>
void Categorical<Scalar>::forward(const ConstMatrixRef<Scalar>& logits) {
  auto log_p = log_probs_.resize(logits.rows(), logits.cols());
  auto p = probs_.resize(logits.rows(), logits.cols());
  for (Index i = 0; i < logits.cols(); ++i) {
    const Scalar max = logits.col(i).maxCoeff();
    log_p.col(i).array() = logits.col(i).array() - max;
    const Scalar log_sum = std::log(log_p.col(i).array().exp().sum());
    log_p.col(i).array() -= log_sum;
  }
  p.array() = log_p.array().exp();
}

template <typename Scalar>
void Categorical<Scalar>::check_batch(std::size_t n, const char* what) const {
  if (static_cast<Index>(n) != batch_size()) {
    throw std::invalid_argument(std::string("Categorical: ") + what + " has " + std::to_string(n) +
                                " entries, batch is " + std::to_string(batch_size()));
  }
}

template <typename Scalar>
std::int64_t Categorical<Scalar>::checked_action(std::int64_t action) const {
  if (action < 0 || action >= num_actions()) {
    throw std::out_of_range("Categorical: action " + std::to_string(action) + " outside [0, " +
                            std::to_string(num_actions()) + ")");
  }
  return action;
}

template <typename Scalar>
void Categorical<Scalar>::log_prob(std::span<const std::int64_t> actions,
                                   std::span<Scalar> out) const {
  check_batch(actions.size(), "actions");
  check_batch(out.size(), "out");
  const auto log_p = log_probs();
  for (Index i = 0; i < batch_size(); ++i) out[i] = log_p(checked_action(actions[i]), i);
}

template <typename Scalar>
void Categorical<Scalar>::entropy(std::span<Scalar> out) const {
  check_batch(out.size(), "out");
  const auto log_p = log_probs();
  const auto p = probs();
  for (Index i = 0; i < batch_size(); ++i) out[i] = -(p.col(i).cwiseProduct(log_p.col(i))).sum();
}

template <typename Scalar>
void Categorical<Scalar>::sample(core::Generator& generator, std::span<std::int64_t> out) const {
  check_batch(out.size(), "out");
  const auto p = probs();
  for (Index i = 0; i < batch_size(); ++i) {
    const double u = generator.random();
    double cumulative = 0;
    std::int64_t chosen = -1;
    for (Index a = 0; a < num_actions(); ++a) {
      if (p(a, i) <= 0) continue;
      chosen = a;  // rounding may leave the total just below u: fall back to the last possible
      cumulative += static_cast<double>(p(a, i));
      if (u < cumulative) break;
    }
    out[i] = chosen < 0 ? 0 : chosen;
  }
}

template <typename Scalar>
void Categorical<Scalar>::argmax(std::span<std::int64_t> out) const {
  check_batch(out.size(), "out");
  const auto log_p = log_probs();
  for (Index i = 0; i < batch_size(); ++i) {
    Index best = 0;
    log_p.col(i).maxCoeff(&best);
    out[i] = best;
  }
}

template <typename Scalar>
ConstMatrixMap<Scalar> Categorical<Scalar>::backward(std::span<const std::int64_t> actions,
                                                     std::span<const Scalar> weights,
                                                     Scalar entropy_coef) {
  check_batch(actions.size(), "actions");
  check_batch(weights.size(), "weights");
  const auto log_p = log_probs();
  const auto p = probs();
  auto grad = grad_.resize(num_actions(), batch_size());
  for (Index i = 0; i < batch_size(); ++i) {
    const Scalar w = weights[i];
    // d log p_a / d z = onehot(a) - p.
    grad.col(i) = -w * p.col(i);
    grad(checked_action(actions[i]), i) += w;
    if (entropy_coef != Scalar(0)) {
      // dH/dz = -p * (log p + H).
      const Scalar h = -(p.col(i).cwiseProduct(log_p.col(i))).sum();
      grad.col(i).array() -= entropy_coef * p.col(i).array() * (log_p.col(i).array() + h);
    }
  }
  return grad_.const_view();
}

template class Categorical<float>;
template class Categorical<double>;

}  // namespace tars::nn
