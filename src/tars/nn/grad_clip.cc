#include "tars/nn/grad_clip.h"

#include <cmath>

namespace tars::nn {

template <typename Scalar>
Scalar clip_grad_norm(const ParameterList<Scalar>& parameters, Scalar max_norm) {
  // Norm of the per-tensor norms, as PyTorch computes it.
  Scalar squared = 0;
  for (const auto& p : parameters) {
    const Scalar n = p.grad.norm();
    squared += n * n;
  }
  const Scalar total = std::sqrt(squared);
  const Scalar coef = max_norm / (total + Scalar(1e-6));
  if (!(coef >= Scalar(1))) {
    for (const auto& p : parameters) {
      MatrixMap<Scalar> g = p.grad;
      g *= coef;
    }
  }
  return total;
}

template float clip_grad_norm<float>(const ParameterList<float>&, float);
template double clip_grad_norm<double>(const ParameterList<double>&, double);

}  // namespace tars::nn
