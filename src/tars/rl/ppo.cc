// PPO, readable top to bottom: config → networks → collect_rollout → update.
#include "tars/rl/ppo.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "tars/nn/adam.h"
#include "tars/nn/grad_clip.h"
#include "tars/rl/actor_critic.h"
#include "tars/rl/on_policy_agent.h"

namespace tars::rl {

std::vector<HyperparameterSpec> ppo_hyperparameter_schema() {
  using T = HyperparameterType;
  using R = ReloadClass;
  std::vector<HyperparameterSpec> schema = {
      {"learning_rate", T::kSchedule, "3e-4", 1e-7, 1.0, {}, R::kHot, "Adam step size α"},
      {"n_steps",
       T::kInteger,
       "2048",
       1,
       1e6,
       {},
       R::kWarm,
       "horizon T: steps per env per rollout"},
      {"batch_size", T::kInteger, "64", 1, 1e7, {}, R::kWarm, "minibatch size M"},
      {"n_epochs", T::kInteger, "10", 1, 1000, {}, R::kWarm, "epochs K over each rollout"},
      {"gamma", T::kNumber, "0.99", 0, 1, {}, R::kWarm, "discount γ"},
      {"gae_lambda", T::kNumber, "0.95", 0, 1, {}, R::kWarm, "GAE λ"},
      {"clip_range", T::kSchedule, "0.2", 1e-6, 10, {}, R::kHot, "surrogate clip ε"},
      {"clip_range_vf",
       T::kNumber,
       "0",
       0,
       1e6,
       {},
       R::kHot,
       "value clip around the old value (0: off, as SB3's None)"},
      {"normalize_advantage",
       T::kBool,
       "true",
       0,
       0,
       {},
       R::kHot,
       "normalise advantages per minibatch"},
      {"ent_coef", T::kNumber, "0", 0, 10, {}, R::kHot, "entropy bonus c2"},
      {"vf_coef", T::kNumber, "0.5", 0, 100, {}, R::kHot, "value loss coefficient c1"},
      {"max_grad_norm", T::kNumber, "0.5", 1e-6, 1e6, {}, R::kHot, "global gradient-norm clip"},
      {"target_kl",
       T::kNumber,
       "0",
       0,
       10,
       {},
       R::kHot,
       "stop the epochs when approx. KL > 1.5 target (0: off)"},
      {"n_envs", T::kInteger, "1", 1, 4096, {}, R::kCold, "environments stepped together"},
  };
  for (HyperparameterSpec& spec : actor_critic_hyperparameter_schema()) schema.push_back(spec);
  return schema;
}

namespace {

// Every field is a hyperparameter of the paper or of SB3's implementation.
struct PpoConfig {
  nn::Schedule learning_rate = nn::Schedule::constant(3e-4);  // α, per update
  int n_steps = 2048;                                         // T: steps per env per rollout
  int batch_size = 64;                                        // M: minibatch size
  int n_epochs = 10;                                          // K: passes over each rollout
  double gamma = 0.99;                                        // γ: discount
  double gae_lambda = 0.95;                                   // λ: GAE bias/variance trade-off
  nn::Schedule clip_range = nn::Schedule::constant(0.2);      // ε: ratio clip
  double clip_range_vf = 0.0;                                 // value clip (0: off)
  bool normalize_advantage = true;  // advantages to zero mean, unit std per minibatch
  double ent_coef = 0.0;            // c2: entropy bonus
  double vf_coef = 0.5;             // c1: value loss weight
  double max_grad_norm = 0.5;       // global gradient-norm clip
  double target_kl = 0.0;           // early stop of the epochs (0: off)
  int n_envs = 1;                   // environments per VectorEnv step

  static PpoConfig from(const Hyperparameters& h) {
    PpoConfig c;
    c.learning_rate = h.schedule("learning_rate");
    c.n_steps = static_cast<int>(h.integer("n_steps"));
    c.batch_size = static_cast<int>(h.integer("batch_size"));
    c.n_epochs = static_cast<int>(h.integer("n_epochs"));
    c.gamma = h.number("gamma");
    c.gae_lambda = h.number("gae_lambda");
    c.clip_range = h.schedule("clip_range");
    c.clip_range_vf = h.number("clip_range_vf");
    c.normalize_advantage = h.flag("normalize_advantage");
    c.ent_coef = h.number("ent_coef");
    c.vf_coef = h.number("vf_coef");
    c.max_grad_norm = h.number("max_grad_norm");
    c.target_kl = h.number("target_kl");
    c.n_envs = static_cast<int>(h.integer("n_envs"));
    return c;
  }
};

class Ppo final : public OnPolicyAgent<PpoConfig> {
 public:
  Ppo(const env::EnvSpec& spec, const Hyperparameters& hyperparameters, std::uint64_t seed)
      : OnPolicyAgent("ppo", spec, hyperparameters, seed),
        optimizer_(policy_.parameters(),
                   nn::AdamOptions{.lr = config_.learning_rate.value(1.0), .eps = 1e-5}) {}

 private:
  // K epochs of minibatch updates on the collected rollout (SB3's PPO.train).
  void update(RolloutBuffer& buffer, double progress_remaining) override;
  std::uint64_t optimizer_state_bytes() const override { return optimizer_bytes(optimizer_); }
  void optimizer_fields(StateWriter& out) const override { out.optimizer("optimizer", optimizer_); }
  void optimizer_fields(StateReader& in) override { in.optimizer("optimizer", optimizer_); }

  nn::Adam<float> optimizer_;
  // Minibatch scratch, grown once.
  std::vector<float> log_probs_, entropies_, values_, advantages_, weights_, value_grads_;
};

void Ppo::update(RolloutBuffer& buffer, double progress_remaining) {
  optimizer_.set_lr(config_.learning_rate.value(progress_remaining));
  const float clip = static_cast<float>(config_.clip_range.value(progress_remaining));
  const float clip_vf = static_cast<float>(config_.clip_range_vf);
  const float vf_coef = static_cast<float>(config_.vf_coef);

  double pg_loss_sum = 0, value_loss_sum = 0, entropy_sum = 0, clip_fraction_sum = 0;
  double approx_kl = 0;
  int minibatches = 0;
  bool keep_going = true;
  for (int epoch = 0; epoch < config_.n_epochs && keep_going; ++epoch) {
    auto batches = buffer.minibatches(static_cast<std::size_t>(config_.batch_size), rng_);
    for (const RolloutMinibatch& mb : *batches) {
      const std::size_t size = mb.size();
      const float inv_size = 1.0f / static_cast<float>(size);
      for (auto* v : {&log_probs_, &entropies_, &values_, &weights_, &value_grads_})
        v->resize(size);

      // Advantages Â, normalised per minibatch.
      advantages_.assign(mb.advantages.begin(), mb.advantages.end());
      if (config_.normalize_advantage && size > 1) normalize_advantages(advantages_);

      // New log π(a|s), entropy and V(s) under the current weights.
      policy_.evaluate(mb, log_probs_, entropies_, values_);

      // Clipped surrogate L^CLIP = -mean(min(r Â, clip(r, 1-ε, 1+ε) Â)); its gradient flows
      // through the unclipped term only where that term is the minimum.
      double pg_loss = 0, kl = 0, clipped = 0;
      for (std::size_t i = 0; i < size; ++i) {
        const float log_ratio = log_probs_[i] - mb.log_probs[i];
        const float ratio = std::exp(log_ratio);
        const float a = advantages_[i];
        const float unclipped = ratio * a;
        const float clipped_term = std::clamp(ratio, 1.0f - clip, 1.0f + clip) * a;
        pg_loss -= std::min(unclipped, clipped_term);
        weights_[i] = unclipped <= clipped_term ? -unclipped * inv_size : 0.0f;
        kl += (ratio - 1.0f) - log_ratio;
        clipped += std::abs(ratio - 1.0f) > clip;
      }
      // SB3 checks the KL of this minibatch before stepping on it.
      approx_kl = kl / static_cast<double>(size);
      if (config_.target_kl > 0 && approx_kl > 1.5 * config_.target_kl) {
        keep_going = false;
        break;
      }

      // Value loss c1 · mean((R - V)²), optionally with V clipped around the old value.
      double value_loss = 0;
      for (std::size_t i = 0; i < size; ++i) {
        float v = values_[i];
        float dv = 1.0f;
        if (clip_vf > 0) {
          const float delta = v - mb.values[i];
          if (std::abs(delta) > clip_vf) dv = 0.0f;
          v = mb.values[i] + std::clamp(delta, -clip_vf, clip_vf);
        }
        const float error = v - mb.returns[i];
        value_loss += error * error;
        value_grads_[i] = vf_coef * 2.0f * error * inv_size * dv;
      }

      // Backward of pg + c1 · value − c2 · entropy, clip the global norm, Adam step.
      optimizer_.zero_grad();
      policy_.backward(mb, weights_, -static_cast<float>(config_.ent_coef) * inv_size,
                       value_grads_);
      nn::clip_grad_norm(optimizer_.parameters(), static_cast<float>(config_.max_grad_norm));
      optimizer_.step();

      pg_loss_sum += pg_loss / static_cast<double>(size);
      value_loss_sum += value_loss / static_cast<double>(size);
      entropy_sum += std::accumulate(entropies_.begin(), entropies_.end(), 0.0) / size;
      clip_fraction_sum += clipped / static_cast<double>(size);
      ++minibatches;
    }
  }
  const double count = std::max(minibatches, 1);
  progress_.metrics = {
      {"explained_variance", explained_variance(buffer.values(), buffer.returns())},
      {"policy_loss", pg_loss_sum / count},
      {"value_loss", value_loss_sum / count},
      {"entropy", entropy_sum / count},
      {"clip_fraction", clip_fraction_sum / count},
      {"approx_kl", approx_kl},
      {"learning_rate", optimizer_.lr()},
      {"clip_range", clip}};
}

}  // namespace

core::Expected<std::unique_ptr<Agent>> make_ppo(const env::EnvSpec& spec,
                                                const Hyperparameters& hyperparameters,
                                                std::uint64_t seed) {
  return std::unique_ptr<Agent>(std::make_unique<Ppo>(spec, hyperparameters, seed));
}

}  // namespace tars::rl
