#include "tars/nn/tanh_bounded.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace tars::nn {

template <typename Scalar>
TanhBounded<Scalar>::TanhBounded(Vector<Scalar> low, Vector<Scalar> high)
    : low_(std::move(low)), high_(std::move(high)) {
  if (low_.size() == 0 || low_.size() != high_.size() || !low_.allFinite() || !high_.allFinite() ||
      !(low_.array() < high_.array()).all()) {
    throw std::invalid_argument("TanhBounded: need finite low < high of the same positive size");
  }
  center_ = (high_ + low_) / Scalar(2);
  half_range_ = (high_ - low_) / Scalar(2);
}

template <typename Scalar>
void TanhBounded<Scalar>::check(Index rows, Index cols, Index expected_cols,
                                const char* what) const {
  if (rows != action_dim() || (expected_cols >= 0 && cols != expected_cols)) {
    throw std::invalid_argument(std::string("TanhBounded: ") + what + " is " +
                                std::to_string(rows) + " x " + std::to_string(cols) +
                                ", action_dim is " + std::to_string(action_dim()));
  }
}

template <typename Scalar>
ConstMatrixMap<Scalar> TanhBounded<Scalar>::forward(const ConstMatrixRef<Scalar>& x) {
  check(x.rows(), x.cols(), -1, "x");
  auto t = tanh_.resize(x.rows(), x.cols());
  t.array() = x.array().tanh();
  auto a = action_.resize(x.rows(), x.cols());
  a = (t.array().colwise() * half_range_.array()).colwise() + center_.array();
  return action_.const_view();
}

template <typename Scalar>
ConstMatrixMap<Scalar> TanhBounded<Scalar>::backward(const ConstMatrixRef<Scalar>& grad_action) {
  const auto t = tanh_.const_view();
  check(grad_action.rows(), grad_action.cols(), t.cols(), "grad_action");
  auto g = grad_.resize(t.rows(), t.cols());
  g.array() =
      (grad_action.array() * (Scalar(1) - t.array().square())).colwise() * half_range_.array();
  return grad_.const_view();
}

template <typename Scalar>
void TanhBounded<Scalar>::predict(const ConstMatrixRef<Scalar>& x, MatrixRef<Scalar> action) const {
  check(x.rows(), x.cols(), -1, "x");
  check(action.rows(), action.cols(), x.cols(), "action");
  action = (x.array().tanh().colwise() * half_range_.array()).colwise() + center_.array();
}

template <typename Scalar>
void TanhBounded<Scalar>::to_unit(const ConstMatrixRef<Scalar>& action,
                                  MatrixRef<Scalar> unit) const {
  check(action.rows(), action.cols(), -1, "action");
  check(unit.rows(), unit.cols(), action.cols(), "unit");
  unit = (action.array().colwise() - center_.array()).colwise() / half_range_.array();
}

template <typename Scalar>
void TanhBounded<Scalar>::from_unit(const ConstMatrixRef<Scalar>& unit,
                                    MatrixRef<Scalar> action) const {
  check(unit.rows(), unit.cols(), -1, "unit");
  check(action.rows(), action.cols(), unit.cols(), "action");
  action = (unit.array().colwise() * half_range_.array()).colwise() + center_.array();
}

template class TanhBounded<float>;
template class TanhBounded<double>;

}  // namespace tars::nn
