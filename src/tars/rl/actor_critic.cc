#include "tars/rl/actor_critic.h"

#include <cmath>
#include <numeric>

#include "tars/rl/network_tensors.h"

namespace tars::rl {

namespace {

using ConstMap = nn::ConstMatrixMap<float>;

// Hidden layer sizes of a net_arch: shared by actor and critic, then of each head.
struct Architecture {
  std::vector<nn::Index> shared;
  std::vector<nn::Index> heads;
};

Architecture architecture(const std::string& net_arch) {
  if (net_arch == "tiny") return {{}, {64}};
  if (net_arch == "32-32") return {{}, {32, 32}};
  if (net_arch == "64-64-32") return {{}, {64, 64, 32}};
  if (net_arch == "64-64+32") return {{64, 64}, {32}};
  if (net_arch == "medium") return {{}, {256, 256}};
  return {{}, {64, 64}};
}

std::optional<nn::Mlp<float>> make_trunk(nn::Index in, const Architecture& arch,
                                         nn::Activation activation, core::Generator& rng) {
  if (arch.shared.empty()) return std::nullopt;
  std::vector<nn::Index> sizes = {in};
  sizes.insert(sizes.end(), arch.shared.begin(), arch.shared.end());
  return nn::Mlp<float>(sizes, activation, activation, rng);
}

std::vector<nn::Index> head_sizes(nn::Index in, const Architecture& arch, nn::Index out) {
  std::vector<nn::Index> sizes = {arch.shared.empty() ? in : arch.shared.back()};
  sizes.insert(sizes.end(), arch.heads.begin(), arch.heads.end());
  sizes.push_back(out);
  return sizes;
}

nn::Activation activation(const Hyperparameters& h) {
  return h.choice("activation_fn") == "relu" ? nn::Activation::kReLU : nn::Activation::kTanh;
}

nn::Index action_dim(const env::Space& space) {
  return space.is_discrete() ? space.n() : static_cast<nn::Index>(space.flat_size());
}

}  // namespace

void normalize_advantages(std::span<float> advantages) {
  const auto n = static_cast<double>(advantages.size());
  const double mean = std::accumulate(advantages.begin(), advantages.end(), 0.0) / n;
  double squares = 0;
  for (float a : advantages) squares += (a - mean) * (a - mean);
  const double std = std::sqrt(squares / (n - 1));
  for (float& a : advantages) a = static_cast<float>((a - mean) / (std + 1e-8));
}

double explained_variance(std::span<const float> predicted, std::span<const float> targets) {
  const auto n = static_cast<double>(targets.size());
  double target_sum = 0, target_squares = 0, residual_sum = 0, residual_squares = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const double residual = static_cast<double>(targets[i]) - predicted[i];
    target_sum += targets[i];
    target_squares += static_cast<double>(targets[i]) * targets[i];
    residual_sum += residual;
    residual_squares += residual * residual;
  }
  const double target_variance = target_squares / n - (target_sum / n) * (target_sum / n);
  const double residual_variance = residual_squares / n - (residual_sum / n) * (residual_sum / n);
  return target_variance > 0 ? 1.0 - residual_variance / target_variance : std::nan("");
}

std::vector<HyperparameterSpec> actor_critic_hyperparameter_schema() {
  using T = HyperparameterType;
  using R = ReloadClass;
  return {
      {"net_arch",
       T::kChoice,
       "small",
       0,
       0,
       {"tiny", "small", "medium", "32-32", "64-64-32", "64-64+32"},
       R::kCold,
       "hidden layers of actor and critic: tiny [64], small [64, 64], medium [256, 256], the "
       "sizes named, or 64-64+32: a shared 64-64 trunk under a 32-unit head each"},
      {"activation_fn", T::kChoice, "tanh", 0, 0, {"tanh", "relu"}, R::kCold, "hidden activation"},
      {"ortho_init",
       T::kBool,
       "true",
       0,
       0,
       {},
       R::kCold,
       "orthogonal init (gains √2, policy 0.01, value 1)"},
      {"log_std_init", T::kNumber, "0", -20, 2, {}, R::kCold, "initial log σ (Box actions)"},
  };
}

ActorCritic::ActorCritic(const env::EnvSpec& spec, const Hyperparameters& h, core::Generator& rng)
    : action_space_(spec.action_space),
      discrete_(spec.action_space.is_discrete()),
      obs_dim_(static_cast<nn::Index>(spec.observation_space.flat_size())),
      action_dim_(action_dim(spec.action_space)),
      trunk_(make_trunk(obs_dim_, architecture(h.choice("net_arch")), activation(h), rng)),
      actor_(head_sizes(obs_dim_, architecture(h.choice("net_arch")), action_dim_), activation(h),
             nn::Activation::kIdentity, rng),
      critic_(head_sizes(obs_dim_, architecture(h.choice("net_arch")), 1), activation(h),
              nn::Activation::kIdentity, rng),
      gaussian_(discrete_ ? 1 : action_dim_, static_cast<float>(h.number("log_std_init"))) {
  if (h.flag("ortho_init")) {
    if (trunk_) trunk_->init_orthogonal(std::sqrt(2.0), std::sqrt(2.0), rng);
    actor_.init_orthogonal(std::sqrt(2.0), 0.01, rng);
    critic_.init_orthogonal(std::sqrt(2.0), 1.0, rng);
  }
}

ConstMap ActorCritic::predict_features(const ConstMap& observations) {
  return trunk_ ? trunk_->predict(observations) : observations;
}

nn::ParameterList<float> ActorCritic::parameters() {
  nn::ParameterList<float> parameters = actor_.parameters("actor.");
  nn::append(parameters, critic_.parameters("critic."));
  if (trunk_) nn::append(parameters, trunk_->parameters("trunk."));
  if (!discrete_) nn::append(parameters, gaussian_.parameters());
  return parameters;
}

void ActorCritic::clip_actions(nn::MatrixMap<float> actions) const {
  for (nn::Index j = 0; j < actions.rows(); ++j) {
    actions.row(j) = actions.row(j)
                         .cwiseMax(static_cast<float>(action_space_.low()[j]))
                         .cwiseMin(static_cast<float>(action_space_.high()[j]));
  }
}

void ActorCritic::act(std::span<const float> observations, int batch, bool deterministic,
                      core::Generator& rng, std::span<std::int64_t> discrete,
                      std::span<float> continuous) {
  const ConstMap obs(observations.data(), obs_dim_, batch);
  const ConstMap head = actor_.predict(predict_features(obs));
  if (discrete_) {
    categorical_.forward(head);
    if (deterministic) {
      categorical_.argmax(discrete.first(batch));
    } else {
      categorical_.sample(rng, discrete.first(batch));
    }
    return;
  }
  nn::MatrixMap<float> out(continuous.data(), action_dim_, batch);
  if (deterministic) {
    out = head;
  } else {
    gaussian_.forward(head);
    gaussian_.sample(rng, out);
  }
  clip_actions(out);
}

void ActorCritic::sample(std::span<const float> observations, int n, core::Generator& rng,
                         Sample& out) {
  const ConstMap obs(observations.data(), obs_dim_, n);
  out.log_probs.resize(n);
  out.values.resize(n);
  const ConstMap features = predict_features(obs);
  const ConstMap values = critic_.predict(features);
  std::copy_n(values.data(), n, out.values.begin());
  const ConstMap head = actor_.predict(features);
  if (discrete_) {
    out.discrete.resize(n);
    categorical_.forward(head);
    categorical_.sample(rng, out.discrete);
    categorical_.log_prob(out.discrete, out.log_probs);
    return;
  }
  out.continuous.resize(action_dim_, n);
  gaussian_.forward(head);
  gaussian_.sample(rng, out.continuous);
  gaussian_.log_prob(out.continuous, out.log_probs);
}

void ActorCritic::values(std::span<const float> observations, int n, std::span<float> out) {
  const ConstMap values =
      critic_.predict(predict_features(ConstMap(observations.data(), obs_dim_, n)));
  std::copy_n(values.data(), n, out.begin());
}

void ActorCritic::log_probs(std::span<const float> observation,
                            std::span<const std::int64_t> discrete,
                            std::span<const float> continuous, std::span<float> out) {
  const ConstMap head = actor_.predict(predict_features(ConstMap(observation.data(), obs_dim_, 1)));
  if (discrete_) {
    categorical_.forward(head);
    for (std::size_t i = 0; i < discrete.size(); ++i) {
      out[i] = categorical_.log_probs()(discrete[i], 0);
    }
    return;
  }
  const auto k = static_cast<nn::Index>(out.size());
  candidate_means_ = head.replicate(1, k);
  gaussian_.forward(candidate_means_);
  gaussian_.log_prob(ConstMap(continuous.data(), action_dim_, k), out);
}

ConstMap ActorCritic::minibatch_actions(const RolloutMinibatch& minibatch) const {
  return {minibatch.continuous_actions.data(), action_dim_,
          discrete_ ? 0 : static_cast<nn::Index>(minibatch.size())};
}

void ActorCritic::evaluate(const RolloutMinibatch& minibatch, std::span<float> log_probs,
                           std::span<float> entropies, std::span<float> values) {
  const auto size = static_cast<nn::Index>(minibatch.size());
  const ConstMap obs(minibatch.observations.data(), obs_dim_, size);
  const ConstMap features = trunk_ ? trunk_->forward(obs) : obs;
  const ConstMap head = actor_.forward(features);
  if (discrete_) {
    categorical_.forward(head);
    categorical_.log_prob(minibatch.discrete_actions, log_probs);
    categorical_.entropy(entropies);
  } else {
    gaussian_.forward(head);
    gaussian_.log_prob(minibatch_actions(minibatch), log_probs);
    std::fill(entropies.begin(), entropies.end(), gaussian_.entropy());
  }
  const ConstMap v = critic_.forward(features);
  std::copy_n(v.data(), size, values.begin());
}

void ActorCritic::backward(const RolloutMinibatch& minibatch, std::span<const float> log_prob_grads,
                           float entropy_grad, std::span<const float> value_grads) {
  const ConstMap grad_head =
      discrete_ ? categorical_.backward(minibatch.discrete_actions, log_prob_grads, entropy_grad)
                : gaussian_.backward(minibatch_actions(minibatch), log_prob_grads, entropy_grad);
  const ConstMap grad_values(value_grads.data(), 1, static_cast<nn::Index>(value_grads.size()));
  if (!trunk_) {
    actor_.backward_parameters(grad_head);
    critic_.backward_parameters(grad_values);
    return;
  }
  grad_features_ = actor_.backward(grad_head);  // both heads' gradients reach the trunk
  grad_features_ += critic_.backward(grad_values);
  trunk_->backward_parameters(grad_features_);
}

std::vector<nn::StoredTensor> ActorCritic::tensors() const {
  std::vector<nn::StoredTensor> out = mlp_tensors("actor.", actor_);
  append_tensors(out, mlp_tensors("critic.", critic_));
  if (trunk_) append_tensors(out, mlp_tensors("trunk.", *trunk_));
  if (!discrete_) out.push_back(vector_tensor("log_std", gaussian_.log_std()));
  return out;
}

core::Status ActorCritic::load_tensors(const std::vector<nn::StoredTensor>& tensors) {
  ShapeMap expected = mlp_shapes("actor.", actor_);
  merge_shapes(expected, mlp_shapes("critic.", critic_));
  if (trunk_) merge_shapes(expected, mlp_shapes("trunk.", *trunk_));
  if (!discrete_) expected["log_std"] = {action_dim_};
  if (core::Status status = check_shapes(tensors, expected); !status.ok()) return status;
  load_mlp("actor.", actor_, tensors);
  load_mlp("critic.", critic_, tensors);
  if (trunk_) load_mlp("trunk.", *trunk_, tensors);
  if (!discrete_) load_vector("log_std", gaussian_.log_std(), tensors);
  return {};
}

}  // namespace tars::rl
