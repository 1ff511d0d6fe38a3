#include "tars/rl/network_tensors.h"

#include <stdexcept>

namespace tars::rl {

namespace {

std::string layer_name(const std::string& prefix, std::size_t layer, const char* part) {
  return prefix + "layers." + std::to_string(layer) + "." + part;
}

const std::vector<float>& float_data(const std::vector<nn::StoredTensor>& tensors,
                                     const std::string& name) {
  for (const nn::StoredTensor& tensor : tensors) {
    if (tensor.name != name) continue;
    if (const auto* data = std::get_if<std::vector<float>>(&tensor.data)) return *data;
    throw std::invalid_argument("tensor '" + name + "' is not float32");
  }
  throw std::invalid_argument("missing tensor '" + name + "'");
}

}  // namespace

std::vector<nn::StoredTensor> mlp_tensors(const std::string& prefix, const nn::Mlp<float>& mlp) {
  std::vector<nn::StoredTensor> tensors;
  for (std::size_t i = 0; i < mlp.layers().size(); ++i) {
    const nn::Matrix<float>& weight = mlp.layers()[i].weight();
    // Row-major [out, in]: the transpose's column-major storage.
    const nn::Matrix<float> row_major = weight.transpose();
    tensors.push_back({layer_name(prefix, i, "weight"),
                       {weight.rows(), weight.cols()},
                       std::vector<float>(row_major.data(), row_major.data() + row_major.size())});
    tensors.push_back(vector_tensor(layer_name(prefix, i, "bias"), mlp.layers()[i].bias()));
  }
  return tensors;
}

ShapeMap mlp_shapes(const std::string& prefix, const nn::Mlp<float>& mlp) {
  ShapeMap shapes;
  for (std::size_t i = 0; i < mlp.layers().size(); ++i) {
    const nn::Matrix<float>& weight = mlp.layers()[i].weight();
    shapes[layer_name(prefix, i, "weight")] = {weight.rows(), weight.cols()};
    shapes[layer_name(prefix, i, "bias")] = {weight.rows()};
  }
  return shapes;
}

void load_mlp(const std::string& prefix, nn::Mlp<float>& mlp,
              const std::vector<nn::StoredTensor>& tensors) {
  for (std::size_t i = 0; i < mlp.layers().size(); ++i) {
    nn::Linear<float>& layer = mlp.layers()[i];
    const std::vector<float>& weight = float_data(tensors, layer_name(prefix, i, "weight"));
    layer.weight() =
        nn::ConstMatrixMap<float>(weight.data(), layer.in_features(), layer.out_features())
            .transpose();
    load_vector(layer_name(prefix, i, "bias"), layer.bias(), tensors);
  }
}

nn::StoredTensor vector_tensor(const std::string& name, const nn::Vector<float>& values) {
  return {name, {values.size()}, std::vector<float>(values.data(), values.data() + values.size())};
}

void load_vector(const std::string& name, nn::Vector<float>& values,
                 const std::vector<nn::StoredTensor>& tensors) {
  const std::vector<float>& data = float_data(tensors, name);
  values = nn::ConstMatrixMap<float>(data.data(), static_cast<nn::Index>(data.size()), 1);
}

void append_tensors(std::vector<nn::StoredTensor>& list, std::vector<nn::StoredTensor> extra) {
  for (nn::StoredTensor& tensor : extra) list.push_back(std::move(tensor));
}

void merge_shapes(ShapeMap& shapes, const ShapeMap& extra) {
  for (const auto& [name, shape] : extra) shapes[name] = shape;
}

}  // namespace tars::rl
