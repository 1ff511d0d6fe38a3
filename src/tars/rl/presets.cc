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
  static const std::vector<ZooEntry> table = {
      // hyperparams/a2c.yml
      {"a2c", "CartPole-v1", {500'000, {{"n_envs", "8"}, {"ent_coef", "0.0"}}}},
      {"ppo", "CartPole-v1",
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
      {"ppo", "LunarLander-v3",
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
      {"ppo", "Pendulum-v1",
       {100'000,
        {{"n_envs", "4"},
         {"n_steps", "1024"},
         {"gae_lambda", "0.95"},
         {"gamma", "0.9"},
         {"n_epochs", "10"},
         {"ent_coef", "0.0"},
         {"learning_rate", "1e-3"},
         {"clip_range", "0.2"}}}},
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
  return core::not_found(fmt::format("no zoo preset for {} on {} (zoo presets for {}: {})",
                                     algorithm, env_id, algorithm,
                                     known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
}

std::vector<std::pair<std::string, std::string>> zoo_presets() {
  std::vector<std::pair<std::string, std::string>> result;
  for (const ZooEntry& entry : zoo_table()) {
    result.emplace_back(std::string(entry.algorithm), std::string(entry.env_id));
  }
  return result;
}

}  // namespace tars::rl
