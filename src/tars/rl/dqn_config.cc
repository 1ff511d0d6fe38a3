#include "tars/rl/dqn_config.h"

#include "tars/rl/dqn.h"
#include "tars/rl/off_policy_config.h"

namespace tars::rl {

std::vector<HyperparameterSpec> dqn_hyperparameter_schema() {
  using T = HyperparameterType;
  using R = ReloadClass;
  // One hyperparameter per entry reads better than clang-format's one field per line.
  // clang-format off
  return {
      {"learning_rate", T::kSchedule, "1e-4", 1e-7, 1.0, {}, R::kHot, "Adam step size α"},
      {"buffer_size", T::kInteger, "1000000", 1, 1e9, {}, R::kCold,
       "replay memory capacity N (transitions)"},
      {"learning_starts", T::kInteger, "100", 0, 1e12, {}, R::kWarm,
       "env steps of uniformly random actions before the first update (replay start size)"},
      {"batch_size", T::kInteger, "32", 1, 1e6, {}, R::kCold, "minibatch size"},
      {"tau", T::kNumber, "1", 1e-6, 1, {}, R::kHot,
       "target update θ⁻ ← τθ + (1−τ)θ⁻ (1: hard copy)"},
      {"gamma", T::kNumber, "0.99", 0, 1, {}, R::kHot, "discount γ"},
      {"train_freq", T::kInteger, "4", 1, 1e9, {}, R::kWarm,
       "VectorEnv steps between training phases (update frequency)"},
      {"gradient_steps", T::kInteger, "1", -1, 1e6, {}, R::kWarm,
       "gradient steps per training phase (-1: as many as env steps collected)"},
      {"target_update_interval", T::kInteger, "10000", 1, 1e12, {}, R::kWarm,
       "target network update frequency C, in env steps"},
      {"exploration_fraction", T::kNumber, "0.1", 0, 1, {}, R::kHot,
       "fraction of training over which ε decays linearly"},
      {"exploration_initial_eps", T::kNumber, "1", 0, 1, {}, R::kHot, "initial ε"},
      {"exploration_final_eps", T::kNumber, "0.05", 0, 1, {}, R::kHot, "final ε"},
      {"exploration_decay", T::kNumber, "0.995", 0, 1, {}, R::kHot,
       "online learning: ε ← max(final ε, ε · decay) after each episode"},
      {"max_grad_norm", T::kNumber, "10", 1e-6, 1e6, {}, R::kHot, "global gradient-norm clip"},
      {"double_q", T::kBool, "false", 0, 0, {}, R::kHot,
       "double DQN: the online network picks a', the target network values it"},
      {"dueling", T::kBool, "false", 0, 0, {}, R::kCold,
       "dueling head Q = V + A − mean(A) (shared hidden layers)"},
      {"prioritized_replay", T::kBool, "false", 0, 0, {}, R::kCold,
       "proportional prioritized experience replay"},
      {"prioritized_replay_alpha", T::kNumber, "0.6", 0, 10, {}, R::kCold,
       "PER α: P(i) ∝ p_i^α"},
      {"prioritized_replay_beta0", T::kNumber, "0.4", 0, 1, {}, R::kCold,
       "PER β0: importance-sampling exponent, annealed to 1 over training"},
      {"prioritized_replay_eps", T::kNumber, "1e-6", 1e-12, 1, {}, R::kCold,
       "PER ε: p_i = |δ_i| + ε"},
      {"prioritized_replay_beta_steps", T::kInteger, "100000", 1, 1e12, {}, R::kHot,
       "online learning: steps over which PER β anneals to 1 (learn(): the training budget)"},
      {"n_envs", T::kInteger, "1", 1, 4096, {}, R::kCold, "environments stepped together"},
      {"net_arch", T::kChoice, "small", 0, 0, {"tiny", "small", "medium"}, R::kCold,
       "hidden layers of the Q-network: tiny [64], small [64, 64], medium [256, 256]"},
      {"activation_fn", T::kChoice, "relu", 0, 0, {"tanh", "relu"}, R::kCold, "hidden activation"},
  };
  // clang-format on
}

DqnConfig DqnConfig::from(const Hyperparameters& h) {
  DqnConfig c;
  read_off_policy_fields(h, c);
  c.target_update_interval = h.integer("target_update_interval");
  c.exploration_fraction = h.number("exploration_fraction");
  c.exploration_initial_eps = h.number("exploration_initial_eps");
  c.exploration_final_eps = h.number("exploration_final_eps");
  c.exploration_decay = h.number("exploration_decay");
  c.max_grad_norm = h.number("max_grad_norm");
  c.double_q = h.flag("double_q");
  c.dueling = h.flag("dueling");
  c.prioritized_replay = h.flag("prioritized_replay");
  c.prioritized_replay_alpha = h.number("prioritized_replay_alpha");
  c.prioritized_replay_beta0 = h.number("prioritized_replay_beta0");
  c.prioritized_replay_eps = h.number("prioritized_replay_eps");
  c.prioritized_replay_beta_steps = h.integer("prioritized_replay_beta_steps");
  c.n_envs = static_cast<int>(h.integer("n_envs"));
  return c;
}

}  // namespace tars::rl
