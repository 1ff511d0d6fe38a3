// Multi-layer perceptron: Linear layers with a hidden activation between them and an optional
// output activation, forward / backward on batches (features x batch) with buffers reused across
// calls, named parameters for optimizers, hard / soft (Polyak) copies for target networks and a
// flat view for checkpoints.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/nn/activation.h"
#include "tars/nn/linear.h"
#include "tars/nn/tensor.h"

namespace tars::nn {

template <typename Scalar>
class Mlp {
 public:
  // sizes = {in, hidden..., out} (at least two, all positive; throws std::invalid_argument
  // otherwise). Layers start with PyTorch's default Linear init (fan-in uniform), drawn from
  // `generator` layer by layer, weight then bias.
  Mlp(std::vector<Index> sizes, Activation hidden, Activation output, core::Generator& generator);

  // Output (out x batch) for `input` (in x batch); caches what backward needs. The view is valid
  // until the next forward.
  ConstMatrixMap<Scalar> forward(const ConstMatrixRef<Scalar>& input);
  // Accumulates parameter gradients for dL/doutput = `grad_output` (shape of the last forward's
  // output) and returns dL/dinput (in x batch), valid until the next backward.
  ConstMatrixMap<Scalar> backward(const ConstMatrixRef<Scalar>& grad_output);
  // As backward, without computing dL/dinput.
  void backward_parameters(const ConstMatrixRef<Scalar>& grad_output);
  // Inference only: the output for `input` with buffers of its own, so it neither costs a copy
  // of the input nor disturbs a pending forward / backward pair.
  ConstMatrixMap<Scalar> predict(const ConstMatrixRef<Scalar>& input);

  void zero_grad();
  // "<prefix>layers.<i>.weight" and "<prefix>layers.<i>.bias" for each Linear layer i.
  ParameterList<Scalar> parameters(const std::string& prefix = "");

  // Stable-Baselines3's ortho_init: orthogonal weights with `hidden_gain` (sqrt(2) in SB3) for
  // every layer but the last, `output_gain` for the last (0.01 policy, 1 value), zero biases.
  void init_orthogonal(double hidden_gain, double output_gain, core::Generator& generator);

  // Hard copy of `source`'s parameters (same sizes; throws std::invalid_argument otherwise).
  void copy_from(const Mlp& source);
  // Soft update for target networks: p <- (1 - tau) p + tau p_source, as SB3's polyak_update.
  void polyak(const Mlp& source, Scalar tau);

  // Number of scalars over all parameters, in parameters() order, each column-major.
  Index parameter_count() const;
  void get_flat(std::span<Scalar> out) const;
  // Fails (without changing anything) when the length is not parameter_count().
  core::Status set_flat(std::span<const Scalar> values);

  const std::vector<Index>& sizes() const { return sizes_; }
  Index in_features() const { return sizes_.front(); }
  Index out_features() const { return sizes_.back(); }
  Activation hidden_activation() const { return hidden_; }
  Activation output_activation() const { return output_; }
  std::vector<Linear<Scalar>>& layers() { return layers_; }
  const std::vector<Linear<Scalar>>& layers() const { return layers_; }

 private:
  Activation activation_of(std::size_t layer) const {
    return layer + 1 == layers_.size() ? output_ : hidden_;
  }
  void check_same_shape(const Mlp& other, const char* what) const;
  // Runs the layers from `input`, writing layer outputs into `outputs`.
  ConstMatrixMap<Scalar> run(const ConstMatrixRef<Scalar>& input,
                             std::vector<Workspace<Scalar>>& outputs);
  // Backward through all layers; returns the last gradient computed (dL/dinput if requested).
  ConstMatrixMap<Scalar> backward_impl(const ConstMatrixRef<Scalar>& grad_output,
                                       bool input_gradient);

  std::vector<Index> sizes_;
  Activation hidden_;
  Activation output_;
  std::vector<Linear<Scalar>> layers_;
  Workspace<Scalar> input_;                   // copy of the last forward's input
  std::vector<Workspace<Scalar>> outputs_;    // activated output of each layer (forward)
  std::vector<Workspace<Scalar>> predicted_;  // same for predict
  Workspace<Scalar> grad_a_;                  // gradients, alternating between layers
  Workspace<Scalar> grad_b_;
};

}  // namespace tars::nn
