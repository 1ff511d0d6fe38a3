#include "tars/nn/init.h"

#include <Eigen/QR>
#include <cmath>
#include <stdexcept>

namespace tars::nn {

template <typename Scalar>
void init_orthogonal(MatrixRef<Scalar> weight, double gain, core::Generator& generator) {
  const Index rows = weight.rows();
  const Index cols = weight.cols();
  if (rows == 0 || cols == 0) return;
  Eigen::MatrixXd flat(rows, cols);
  for (Index r = 0; r < rows; ++r) {
    for (Index c = 0; c < cols; ++c) flat(r, c) = generator.standard_normal();
  }
  const bool wide = rows < cols;
  // QR needs a tall matrix: factor the transpose of a wide one and transpose Q back.
  Eigen::MatrixXd tall = wide ? Eigen::MatrixXd(flat.transpose()) : flat;
  const Index m = tall.rows();
  const Index n = tall.cols();
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(tall);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(m, n);
  const Eigen::MatrixXd& r = qr.matrixQR();
  // Sign correction makes Q unique (uniformly distributed, as torch does with diag(R).sign()).
  for (Index j = 0; j < n; ++j) {
    const double d = r(j, j);
    const double sign = d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0);
    q.col(j) *= sign;
  }
  if (wide) {
    weight = (gain * q.transpose()).cast<Scalar>();
  } else {
    weight = (gain * q).cast<Scalar>();
  }
}

template <typename Scalar>
void init_xavier_uniform(MatrixRef<Scalar> weight, double gain, core::Generator& generator) {
  const double fan_in = static_cast<double>(weight.cols());
  const double fan_out = static_cast<double>(weight.rows());
  if (fan_in + fan_out == 0) return;
  const double bound = gain * std::sqrt(6.0 / (fan_in + fan_out));
  for (Index r = 0; r < weight.rows(); ++r) {
    for (Index c = 0; c < weight.cols(); ++c) {
      weight(r, c) = static_cast<Scalar>(generator.uniform(-bound, bound));
    }
  }
}

template <typename Scalar>
void init_fan_in_uniform(MatrixRef<Scalar> values, Index fan_in, core::Generator& generator) {
  if (fan_in <= 0) throw std::invalid_argument("init_fan_in_uniform: fan_in must be positive");
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  for (Index r = 0; r < values.rows(); ++r) {
    for (Index c = 0; c < values.cols(); ++c) {
      values(r, c) = static_cast<Scalar>(generator.uniform(-bound, bound));
    }
  }
}

template void init_orthogonal<float>(MatrixRef<float>, double, core::Generator&);
template void init_orthogonal<double>(MatrixRef<double>, double, core::Generator&);
template void init_xavier_uniform<float>(MatrixRef<float>, double, core::Generator&);
template void init_xavier_uniform<double>(MatrixRef<double>, double, core::Generator&);
template void init_fan_in_uniform<float>(MatrixRef<float>, Index, core::Generator&);
template void init_fan_in_uniform<double>(MatrixRef<double>, Index, core::Generator&);

}  // namespace tars::nn
