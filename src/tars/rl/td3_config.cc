#include "tars/rl/td3_config.h"

#include "tars/rl/off_policy_config.h"
#include "tars/rl/td3.h"

namespace tars::rl {

namespace {

// The defaults that make DDPG out of TD3.
struct VariantDefaults {
  const char* n_critics;
  const char* policy_delay;
  const char* target_policy_noise;
  const char* target_noise_clip;
};

std::vector<HyperparameterSpec> schema(const VariantDefaults& d) {
  using T = HyperparameterType;
  using R = ReloadClass;
  // One row per hyperparameter reads better than clang-format's one field per line.
  // clang-format off
  return {
      {"learning_rate", T::kSchedule, "1e-3", 1e-7, 1.0, {}, R::kHot,
       "Adam step size α of actor and critics"},
      {"buffer_size", T::kInteger, "1000000", 1, 1e9, {}, R::kCold, "replay buffer size N"},
      {"learning_starts", T::kInteger, "100", 0, 1e9, {}, R::kWarm,
       "steps of uniformly random actions before the first update"},
      {"batch_size", T::kInteger, "256", 1, 1e6, {}, R::kWarm, "minibatch size N"},
      {"tau", T::kNumber, "0.005", 0, 1, {}, R::kHot, "target network update rate τ"},
      {"gamma", T::kNumber, "0.99", 0, 1, {}, R::kHot, "discount γ"},
      {"train_freq", T::kInteger, "1", 1, 1e6, {}, R::kWarm,
       "steps per env between two rounds of updates"},
      {"gradient_steps", T::kInteger, "1", -1, 1e6, {}, R::kWarm,
       "gradient steps per round (-1: as many as env steps collected)"},
      {"policy_delay", T::kInteger, d.policy_delay, 1, 1e6, {}, R::kHot,
       "d: critic updates per actor and target update"},
      {"target_policy_noise", T::kNumber, d.target_policy_noise, 0, 10, {}, R::kHot,
       "σ̃: std of the target policy smoothing noise ε"},
      {"target_noise_clip", T::kNumber, d.target_noise_clip, 0, 10, {}, R::kHot,
       "c: ε clipped to [-c, c]"},
      {"n_critics", T::kInteger, d.n_critics, 1, 10, {}, R::kCold,
       "critics Q_θ1..Q_θn, target from their minimum (clipped double Q)"},
      {"noise_type", T::kChoice, "none", 0, 0, {"none", "normal", "ornstein-uhlenbeck"}, R::kWarm,
       "exploration noise process N"},
      {"noise_std", T::kNumber, "0.1", 0, 10, {}, R::kWarm,
       "σ of the exploration noise, in the [-1, 1] action scale"},
      {"critic_learning_rate", T::kNumber, "0", 0, 1, {}, R::kHot,
       "the critics' Adam step size (0: learning_rate, as SB3)"},
      {"critic_weight_decay", T::kNumber, "0", 0, 1, {}, R::kCold,
       "L2 penalty on the critics' weights (DDPG paper: 1e-2)"},
      {"n_envs", T::kInteger, "1", 1, 4096, {}, R::kCold, "environments stepped together"},
      {"net_arch", T::kChoice, "big", 0, 0, {"small", "medium", "big"}, R::kCold,
       "hidden layers of actor and critics: small [64, 64], medium [256, 256], big [400, 300]"},
      {"activation_fn", T::kChoice, "relu", 0, 0, {"relu", "tanh"}, R::kCold, "hidden activation"},
  };
  // clang-format on
}

}  // namespace

std::vector<HyperparameterSpec> td3_hyperparameter_schema() {
  return schema({.n_critics = "2",
                 .policy_delay = "2",
                 .target_policy_noise = "0.2",
                 .target_noise_clip = "0.5"});
}

std::vector<HyperparameterSpec> ddpg_hyperparameter_schema() {
  return schema({.n_critics = "1",
                 .policy_delay = "1",
                 .target_policy_noise = "0",
                 .target_noise_clip = "0"});
}

Td3Config Td3Config::from(const Hyperparameters& h) {
  Td3Config c;
  read_off_policy_fields(h, c);
  c.policy_delay = static_cast<int>(h.integer("policy_delay"));
  c.target_policy_noise = h.number("target_policy_noise");
  c.target_noise_clip = h.number("target_noise_clip");
  c.n_critics = static_cast<int>(h.integer("n_critics"));
  c.noise_type = *parse_action_noise_type(h.choice("noise_type"));
  c.noise_std = h.number("noise_std");
  c.critic_learning_rate = h.number("critic_learning_rate");
  c.critic_weight_decay = h.number("critic_weight_decay");
  c.n_envs = static_cast<int>(h.integer("n_envs"));
  return c;
}

}  // namespace tars::rl
