#include "tars/rl/presets.h"

#include <fmt/format.h>

namespace tars::rl {

namespace {

struct ZooEntry {
  std::string_view algorithm;
  std::string_view env_id;
  Preset preset;
};

// From rl-baselines3-zoo hyperparams/*.yml (see ../shared/reference/rl-zoo.md).
const std::vector<ZooEntry>& zoo_table() {
  // hyperparams/dqn.yml gives Acrobot-v1 and LunarLander-v3 the same values.
  static const std::vector<std::pair<std::string, std::string>> kZooDqnAcrobotLunarLander = {
      {"learning_rate", "6.3e-4"},
      {"batch_size", "128"},
      {"buffer_size", "50000"},
      {"learning_starts", "0"},
      {"gamma", "0.99"},
      {"target_update_interval", "250"},
      {"train_freq", "4"},
      {"gradient_steps", "-1"},
      {"exploration_fraction", "0.12"},
      {"exploration_final_eps", "0.1"},
      {"net_arch", "medium"}};
  // DDPG / TD3 on Pendulum-v1 and LunarLanderContinuous-v3 (net_arch "big" is [400, 300]).
  static const std::vector<std::pair<std::string, std::string>> kZooOffPolicyPendulum = {
      {"gamma", "0.98"},        {"buffer_size", "200000"}, {"learning_starts", "10000"},
      {"noise_type", "normal"}, {"noise_std", "0.1"},      {"gradient_steps", "1"},
      {"train_freq", "1"},      {"learning_rate", "1e-3"}, {"net_arch", "big"}};
  static const std::vector<ZooEntry> table = {
      // hyperparams/a2c.yml
      {"a2c", "CartPole-v1", {500'000, {{"n_envs", "8"}, {"ent_coef", "0.0"}}}},
      {"ppo",
       "CartPole-v1",
       {100'000,
        {{"n_envs", "8"},
         {"n_steps", "32"},
         {"batch_size", "256"},
         {"gae_lambda", "0.8"},
         {"gamma", "0.98"},
         {"n_epochs", "20"},
         {"ent_coef", "0.0"},
         {"learning_rate", "lin_0.001"},
         {"clip_range", "lin_0.2"}}}},
      {"ppo",
       "LunarLander-v3",
       {1'000'000,
        {{"n_envs", "16"},
         {"n_steps", "1024"},
         {"batch_size", "64"},
         {"gae_lambda", "0.98"},
         {"gamma", "0.999"},
         {"n_epochs", "4"},
         {"ent_coef", "0.01"}}}},
      // The zoo also sets use_sde / sde_sample_freq 4 here; T.A.R.S. has no gSDE yet, so the
      // policy explores with its plain diagonal Gaussian.
      {"ppo",
       "Pendulum-v1",
       {100'000,
        {{"n_envs", "4"},
         {"n_steps", "1024"},
         {"gae_lambda", "0.95"},
         {"gamma", "0.9"},
         {"n_epochs", "10"},
         {"ent_coef", "0.0"},
         {"learning_rate", "1e-3"},
         {"clip_range", "0.2"}}}},
      // hyperparams/dqn.yml; net_arch "medium" is the zoo's [256, 256]. Acrobot-v1 and
      // LunarLander-v3 share their values.
      {"dqn",
       "CartPole-v1",
       {50'000,
        {{"learning_rate", "2.3e-3"},
         {"batch_size", "64"},
         {"buffer_size", "100000"},
         {"learning_starts", "1000"},
         {"gamma", "0.99"},
         {"target_update_interval", "10"},
         {"train_freq", "256"},
         {"gradient_steps", "128"},
         {"exploration_fraction", "0.16"},
         {"exploration_final_eps", "0.04"},
         {"net_arch", "medium"}}}},
      {"dqn",
       "MountainCar-v0",
       {120'000,
        {{"learning_rate", "4e-3"},
         {"batch_size", "128"},
         {"buffer_size", "10000"},
         {"learning_starts", "1000"},
         {"gamma", "0.98"},
         {"target_update_interval", "600"},
         {"train_freq", "16"},
         {"gradient_steps", "8"},
         {"exploration_fraction", "0.2"},
         {"exploration_final_eps", "0.07"},
         {"net_arch", "medium"}}}},
      {"dqn", "Acrobot-v1", {100'000, kZooDqnAcrobotLunarLander}},
      {"dqn", "LunarLander-v3", {100'000, kZooDqnAcrobotLunarLander}},
      // hyperparams/ddpg.yml and td3.yml: the same values for both algorithms. Pendulum-v1 as in
      // rl-zoo.md. LunarLanderContinuous-v3 as Pendulum-v1 but 3e5 steps; older zoo files had
      // train_freq [1, "episode"] and gradient_steps -1 there too, before both moved to the
      // SB3 2.x per-step defaults. MountainCarContinuous-v0 only sets the noise.
      {"ddpg", "Pendulum-v1", {20'000, kZooOffPolicyPendulum}},
      {"td3", "Pendulum-v1", {20'000, kZooOffPolicyPendulum}},
      {"ddpg", "LunarLanderContinuous-v3", {300'000, kZooOffPolicyPendulum}},
      {"td3", "LunarLanderContinuous-v3", {300'000, kZooOffPolicyPendulum}},
      {"ddpg",
       "MountainCarContinuous-v0",
       {300'000, {{"noise_type", "ornstein-uhlenbeck"}, {"noise_std", "0.5"}}}},
      {"td3",
       "MountainCarContinuous-v0",
       {300'000, {{"noise_type", "ornstein-uhlenbeck"}, {"noise_std", "0.5"}}}},
  };
  return table;
}

}  // namespace

core::Expected<Preset> zoo_preset(std::string_view algorithm, std::string_view env_id) {
  std::vector<std::string> known;
  for (const ZooEntry& entry : zoo_table()) {
    if (entry.algorithm == algorithm && entry.env_id == env_id) return entry.preset;
    if (entry.algorithm == algorithm) known.emplace_back(entry.env_id);
  }
  return core::not_found(
      fmt::format("no zoo preset for {} on {} (zoo presets for {}: {})", algorithm, env_id,
                  algorithm, known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
}

std::vector<std::pair<std::string, std::string>> zoo_presets() {
  std::vector<std::pair<std::string, std::string>> result;
  for (const ZooEntry& entry : zoo_table()) {
    result.emplace_back(std::string(entry.algorithm), std::string(entry.env_id));
  }
  return result;
}

}  // namespace tars::rl
