// A2C, readable top to bottom: config → policy → collect (shared with PPO) → one update.
#include "tars/rl/a2c.h"

#include <fmt/format.h>

#include <numeric>
#include <optional>
#include <variant>

#include "tars/nn/adam.h"
#include "tars/nn/grad_clip.h"
#include "tars/nn/rmsprop.h"
#include "tars/rl/actor_critic.h"
#include "tars/rl/on_policy_agent.h"

namespace tars::rl {

std::vector<HyperparameterSpec> a2c_hyperparameter_schema() {
  using T = HyperparameterType;
  using R = ReloadClass;
  std::vector<HyperparameterSpec> schema = {
      {"learning_rate", T::kSchedule, "7e-4", 1e-7, 1.0, {}, R::kHot, "optimizer step size α"},
      {"n_steps", T::kInteger, "5", 1, 1e6, {}, R::kWarm, "t_max: steps per env per update"},
      {"gamma", T::kNumber, "0.99", 0, 1, {}, R::kWarm, "discount γ"},
      {"gae_lambda", T::kNumber, "1.0", 0, 1, {}, R::kWarm, "GAE λ (1: n-step returns)"},
      {"ent_coef", T::kNumber, "0", 0, 10, {}, R::kHot, "entropy regularisation β"},
      {"vf_coef", T::kNumber, "0.5", 0, 100, {}, R::kHot, "value loss coefficient"},
      {"max_grad_norm", T::kNumber, "0.5", 1e-6, 1e6, {}, R::kHot, "global gradient-norm clip"},
      {"normalize_advantage", T::kBool, "false", 0, 0, {}, R::kHot, "normalise advantages"},
      {"use_rms_prop", T::kBool, "true", 0, 0, {}, R::kCold, "RMSprop (true) or Adam (false)"},
      {"rms_prop_eps", T::kNumber, "1e-5", 1e-12, 1, {}, R::kCold, "RMSprop / Adam ε"},
      {"n_envs", T::kInteger, "1", 1, 4096, {}, R::kCold, "environments stepped together"},
  };
  for (HyperparameterSpec& spec : actor_critic_hyperparameter_schema()) schema.push_back(spec);
  return schema;
}

namespace {

// Every field is a hyperparameter of the paper or of SB3's implementation.
struct A2cConfig {
  nn::Schedule learning_rate = nn::Schedule::constant(7e-4);  // α, per update
  int n_steps = 5;                                            // t_max: steps per env per update
  double gamma = 0.99;                                        // γ: discount
  double gae_lambda = 1.0;           // λ: GAE (1 gives the paper's n-step returns)
  double ent_coef = 0.0;             // β: entropy regularisation
  double vf_coef = 0.5;              // value loss weight
  double max_grad_norm = 0.5;        // global gradient-norm clip
  bool normalize_advantage = false;  // advantages to zero mean, unit std
  bool use_rms_prop = true;          // RMSprop(α=0.99) as the paper and SB3; Adam otherwise
  double rms_prop_eps = 1e-5;        // ε of the optimizer
  int n_envs = 1;                    // environments per VectorEnv step

  static A2cConfig from(const Hyperparameters& h) {
    A2cConfig c;
    c.learning_rate = h.schedule("learning_rate");
    c.n_steps = static_cast<int>(h.integer("n_steps"));
    c.gamma = h.number("gamma");
    c.gae_lambda = h.number("gae_lambda");
    c.ent_coef = h.number("ent_coef");
    c.vf_coef = h.number("vf_coef");
    c.max_grad_norm = h.number("max_grad_norm");
    c.normalize_advantage = h.flag("normalize_advantage");
    c.use_rms_prop = h.flag("use_rms_prop");
    c.rms_prop_eps = h.number("rms_prop_eps");
    c.n_envs = static_cast<int>(h.integer("n_envs"));
    return c;
  }
};

using Optimizer = std::variant<nn::Rmsprop<float>, nn::Adam<float>>;

Optimizer make_optimizer(const A2cConfig& config, nn::ParameterList<float> parameters) {
  const double lr = config.learning_rate.value(1.0);
  if (config.use_rms_prop) {
    return nn::Rmsprop<float>(std::move(parameters),
                              {.lr = lr, .alpha = 0.99, .eps = config.rms_prop_eps});
  }
  return nn::Adam<float>(std::move(parameters), {.lr = lr, .eps = config.rms_prop_eps});
}

class A2c final : public OnPolicyAgent<A2cConfig> {
 public:
  A2c(const env::EnvSpec& spec, const Hyperparameters& hyperparameters, std::uint64_t seed)
      : OnPolicyAgent("a2c", spec, hyperparameters, seed),
        optimizer_(make_optimizer(config_, policy_.parameters())) {}

 private:
  // One gradient step on the whole rollout (SB3's A2C.train).
  void update(RolloutBuffer& buffer, double progress_remaining) override;
  std::uint64_t optimizer_state_bytes() const override {
    return std::visit([](const auto& optimizer) { return optimizer_bytes(optimizer); }, optimizer_);
  }
  void optimizer_fields(StateWriter& out) const override {
    std::visit([&out](const auto& optimizer) { out.optimizer("optimizer", optimizer); },
               optimizer_);
  }
  void optimizer_fields(StateReader& in) override {
    std::visit([&in](auto& optimizer) { in.optimizer("optimizer", optimizer); }, optimizer_);
  }

  Optimizer optimizer_;
  std::vector<float> log_probs_, entropies_, values_, advantages_, weights_, value_grads_;
};

void A2c::update(RolloutBuffer& buffer, double progress_remaining) {
  const double lr = config_.learning_rate.value(progress_remaining);
  std::visit([lr](auto& optimizer) { optimizer.set_lr(lr); }, optimizer_);

  // The whole rollout is one batch (batch_size 0); the order does not change the gradient.
  auto batches = buffer.minibatches(0, rng_);
  const RolloutMinibatch& mb = *batches->begin();
  const std::size_t size = mb.size();
  const float inv_size = 1.0f / static_cast<float>(size);
  for (auto* v : {&log_probs_, &entropies_, &values_, &weights_, &value_grads_}) v->resize(size);
  advantages_.assign(mb.advantages.begin(), mb.advantages.end());
  if (config_.normalize_advantage && size > 1) normalize_advantages(advantages_);

  policy_.evaluate(mb, log_probs_, entropies_, values_);
  // Policy gradient loss -mean(Â log π(a|s)) and value loss c · mean((R - V)²).
  double policy_loss = 0, value_loss = 0;
  const float vf_coef = static_cast<float>(config_.vf_coef);
  for (std::size_t i = 0; i < size; ++i) {
    policy_loss -= advantages_[i] * log_probs_[i];
    weights_[i] = -advantages_[i] * inv_size;
    const float error = values_[i] - mb.returns[i];
    value_loss += error * error;
    value_grads_[i] = vf_coef * 2.0f * error * inv_size;
  }

  std::visit([](auto& optimizer) { optimizer.zero_grad(); }, optimizer_);
  policy_.backward(mb, weights_, -static_cast<float>(config_.ent_coef) * inv_size, value_grads_);
  std::visit(
      [this](auto& optimizer) {
        nn::clip_grad_norm(optimizer.parameters(), static_cast<float>(config_.max_grad_norm));
        optimizer.step();
      },
      optimizer_);

  progress_.metrics = {
      {"explained_variance", explained_variance(buffer.values(), buffer.returns())},
      {"policy_loss", policy_loss / static_cast<double>(size)},
      {"value_loss", value_loss / static_cast<double>(size)},
      {"entropy", std::accumulate(entropies_.begin(), entropies_.end(), 0.0) / size},
      {"learning_rate", lr}};
}

}  // namespace

core::Expected<std::unique_ptr<Agent>> make_a2c(const env::EnvSpec& spec,
                                                const Hyperparameters& hyperparameters,
                                                std::uint64_t seed) {
  return std::unique_ptr<Agent>(std::make_unique<A2c>(spec, hyperparameters, seed));
}

}  // namespace tars::rl
