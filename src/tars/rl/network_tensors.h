// Networks as named checkpoint tensors, laid out as PyTorch stores them (a Linear weight is
// [out, in] row-major), so a T.A.R.S. checkpoint loads into an equivalent PyTorch module.
#pragma once

#include <string>
#include <vector>

#include "tars/nn/mlp.h"
#include "tars/nn/safetensors.h"
#include "tars/rl/checkpoint.h"

namespace tars::rl {

// "<prefix>layers.<i>.weight" [out, in] and "<prefix>layers.<i>.bias" [out].
std::vector<nn::StoredTensor> mlp_tensors(const std::string& prefix, const nn::Mlp<float>& mlp);
ShapeMap mlp_shapes(const std::string& prefix, const nn::Mlp<float>& mlp);
// Copies the tensors named as mlp_tensors() into `mlp`; shapes must have been checked.
void load_mlp(const std::string& prefix, nn::Mlp<float>& mlp,
              const std::vector<nn::StoredTensor>& tensors);

nn::StoredTensor vector_tensor(const std::string& name, const nn::Vector<float>& values);
void load_vector(const std::string& name, nn::Vector<float>& values,
                 const std::vector<nn::StoredTensor>& tensors);

void append_tensors(std::vector<nn::StoredTensor>& list, std::vector<nn::StoredTensor> extra);
void merge_shapes(ShapeMap& shapes, const ShapeMap& extra);

}  // namespace tars::rl
