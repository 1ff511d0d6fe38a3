// Common types of the network library: column-major matrices with one column per sample
// (features x batch), named parameter views for optimizers, and grow-only scratch buffers.
#pragma once

#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

namespace tars::nn {

using Index = Eigen::Index;

template <typename Scalar>
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <typename Scalar>
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

// A batch (features x batch) passed to a layer. Must be contiguous column-major data (a Matrix,
// a Map of one, or its leftCols): anything else would be copied into a temporary.
template <typename Scalar>
using ConstMatrixRef = Eigen::Ref<const Matrix<Scalar>>;
// A writable destination of fixed shape (a Matrix, a Map or a column block of one).
template <typename Scalar>
using MatrixRef = Eigen::Ref<Matrix<Scalar>>;
template <typename Scalar>
using MatrixMap = Eigen::Map<Matrix<Scalar>>;
template <typename Scalar>
using ConstMatrixMap = Eigen::Map<const Matrix<Scalar>>;

// A trainable tensor as optimizers see it: value and gradient share the shape (a bias is an
// out x 1 matrix). The views point into the owning layer's storage and stay valid while that
// owner is alive and not copied over (moving it keeps them valid).
template <typename Scalar>
struct Parameter {
  std::string name;  // e.g. "layers.0.weight"
  MatrixMap<Scalar> value;
  MatrixMap<Scalar> grad;
};

template <typename Scalar>
using ParameterList = std::vector<Parameter<Scalar>>;

// A named tensor without gradient (optimizer state, for checkpoints).
template <typename Scalar>
struct NamedTensor {
  std::string name;
  MatrixMap<Scalar> value;
};
// The same, read-only (saving the state of a const optimizer).
template <typename Scalar>
struct ConstNamedTensor {
  std::string name;
  ConstMatrixMap<Scalar> value;
};

// Views a whole matrix or vector as a parameter-compatible map.
template <typename Derived>
MatrixMap<typename Derived::Scalar> as_map(Eigen::PlainObjectBase<Derived>& m) {
  return {m.data(), m.rows(), m.cols()};
}

// Appends `extra` to `list` (e.g. actor and critic parameters for one optimizer).
template <typename Scalar>
void append(ParameterList<Scalar>& list, ParameterList<Scalar> extra) {
  for (auto& p : extra) list.push_back(std::move(p));
}

// Scratch storage that grows to the largest batch seen and is never shrunk, so alternating batch
// sizes (one observation to act, 256 to learn) do not reallocate.
template <typename Scalar>
class Workspace {
 public:
  // A rows x cols view of the storage (contents unspecified); allocates only to grow.
  MatrixMap<Scalar> resize(Index rows, Index cols) {
    if (rows * cols > storage_.size()) storage_.resize(rows * cols);
    rows_ = rows;
    cols_ = cols;
    return view();
  }
  MatrixMap<Scalar> view() { return {storage_.data(), rows_, cols_}; }
  ConstMatrixMap<Scalar> view() const { return {storage_.data(), rows_, cols_}; }
  ConstMatrixMap<Scalar> const_view() const { return view(); }
  Index rows() const { return rows_; }
  Index cols() const { return cols_; }

 private:
  Vector<Scalar> storage_;
  Index rows_ = 0;
  Index cols_ = 0;
};

}  // namespace tars::nn
