#include "tars/nn/mlp.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "tars/nn/init.h"

namespace tars::nn {

template <typename Scalar>
Mlp<Scalar>::Mlp(std::vector<Index> sizes, Activation hidden, Activation output,
                 core::Generator& generator)
    : sizes_(std::move(sizes)), hidden_(hidden), output_(output) {
  if (sizes_.size() < 2) {
    throw std::invalid_argument("Mlp: need at least input and output sizes");
  }
  layers_.reserve(sizes_.size() - 1);
  for (std::size_t i = 0; i + 1 < sizes_.size(); ++i) {
    layers_.emplace_back(sizes_[i], sizes_[i + 1]);
    init_fan_in_uniform<Scalar>(layers_.back().weight(), sizes_[i], generator);
    init_fan_in_uniform<Scalar>(layers_.back().bias(), sizes_[i], generator);
  }
  outputs_.resize(layers_.size());
  predicted_.resize(layers_.size());
}

template <typename Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::run(const ConstMatrixRef<Scalar>& input,
                                        std::vector<Workspace<Scalar>>& outputs) {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    auto y = outputs[i].resize(layers_[i].out_features(), input.cols());
    if (i == 0) {
      layers_[i].predict(input, y);
    } else {
      layers_[i].predict(outputs[i - 1].view(), y);
    }
    activate<Scalar>(activation_of(i), y);
  }
  return outputs.back().const_view();
}

template <typename Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::forward(const ConstMatrixRef<Scalar>& input) {
  auto x = input_.resize(input.rows(), input.cols());
  x = input;
  return run(x, outputs_);
}

template <typename Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::predict(const ConstMatrixRef<Scalar>& input) {
  return run(input, predicted_);
}

template <typename Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::backward_impl(const ConstMatrixRef<Scalar>& grad_output,
                                                  bool input_gradient) {
  const auto last = outputs_.back().view();
  if (grad_output.rows() != last.rows() || grad_output.cols() != last.cols()) {
    throw std::invalid_argument("Mlp: grad_output shape does not match the last forward output");
  }
  Workspace<Scalar>* current = &grad_a_;
  Workspace<Scalar>* next = &grad_b_;
  auto g = current->resize(grad_output.rows(), grad_output.cols());
  g = grad_output;
  for (std::size_t i = layers_.size(); i-- > 0;) {
    auto grad = current->view();
    activation_backward<Scalar>(activation_of(i), outputs_[i].view(), grad);
    if (i == 0) {
      layers_[i].accumulate_grad(input_.view(), grad);
      if (input_gradient) {
        layers_[i].input_grad(grad, next->resize(layers_[i].in_features(), grad.cols()));
        std::swap(current, next);
      }
    } else {
      layers_[i].accumulate_grad(outputs_[i - 1].view(), grad);
      layers_[i].input_grad(grad, next->resize(layers_[i].in_features(), grad.cols()));
      std::swap(current, next);
    }
  }
  return current->const_view();
}

template <typename Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::backward(const ConstMatrixRef<Scalar>& grad_output) {
  return backward_impl(grad_output, true);
}

template <typename Scalar>
void Mlp<Scalar>::backward_parameters(const ConstMatrixRef<Scalar>& grad_output) {
  (void)backward_impl(grad_output, false);
}

template <typename Scalar>
void Mlp<Scalar>::zero_grad() {
  for (auto& layer : layers_) layer.zero_grad();
}

template <typename Scalar>
ParameterList<Scalar> Mlp<Scalar>::parameters(const std::string& prefix) {
  ParameterList<Scalar> list;
  list.reserve(2 * layers_.size());
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    append(list, layers_[i].parameters(prefix + "layers." + std::to_string(i) + "."));
  }
  return list;
}

template <typename Scalar>
void Mlp<Scalar>::init_orthogonal(double hidden_gain, double output_gain,
                                  core::Generator& generator) {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const double gain = i + 1 == layers_.size() ? output_gain : hidden_gain;
    nn::init_orthogonal<Scalar>(layers_[i].weight(), gain, generator);
    layers_[i].bias().setZero();
  }
}

template <typename Scalar>
void Mlp<Scalar>::check_same_shape(const Mlp& other, const char* what) const {
  if (other.sizes_ != sizes_)
    throw std::invalid_argument(std::string("Mlp::") + what + ": networks have different sizes");
}

template <typename Scalar>
void Mlp<Scalar>::copy_from(const Mlp& source) {
  check_same_shape(source, "copy_from");
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i].weight() = source.layers_[i].weight();
    layers_[i].bias() = source.layers_[i].bias();
  }
}

template <typename Scalar>
void Mlp<Scalar>::polyak(const Mlp& source, Scalar tau) {
  check_same_shape(source, "polyak");
  const Scalar keep = Scalar(1) - tau;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    auto& w = layers_[i].weight();
    auto& b = layers_[i].bias();
    w = w * keep + source.layers_[i].weight() * tau;
    b = b * keep + source.layers_[i].bias() * tau;
  }
}

template <typename Scalar>
Index Mlp<Scalar>::parameter_count() const {
  Index n = 0;
  for (const auto& layer : layers_) n += layer.weight().size() + layer.bias().size();
  return n;
}

template <typename Scalar>
void Mlp<Scalar>::get_flat(std::span<Scalar> out) const {
  if (static_cast<Index>(out.size()) != parameter_count()) {
    throw std::invalid_argument("Mlp::get_flat: buffer has the wrong length");
  }
  Index offset = 0;
  for (const auto& layer : layers_) {
    std::copy_n(layer.weight().data(), layer.weight().size(), out.data() + offset);
    offset += layer.weight().size();
    std::copy_n(layer.bias().data(), layer.bias().size(), out.data() + offset);
    offset += layer.bias().size();
  }
}

template <typename Scalar>
core::Status Mlp<Scalar>::set_flat(std::span<const Scalar> values) {
  if (static_cast<Index>(values.size()) != parameter_count()) {
    return core::invalid_argument("Mlp::set_flat: expected " + std::to_string(parameter_count()) +
                                  " values, got " + std::to_string(values.size()));
  }
  const Scalar* in = values.data();
  for (auto& layer : layers_) {
    std::copy(in, in + layer.weight().size(), layer.weight().data());
    in += layer.weight().size();
    std::copy(in, in + layer.bias().size(), layer.bias().data());
    in += layer.bias().size();
  }
  return core::Status::ok_status();
}

template class Mlp<float>;
template class Mlp<double>;

}  // namespace tars::nn
