// PPO, readable top to bottom: config → networks → collect_rollout → update.
#include "tars/rl/ppo.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>

#include <fmt/format.h>

#include "tars/nn/adam.h"
#include "tars/nn/categorical.h"
#include "tars/nn/diag_gaussian.h"
#include "tars/nn/grad_clip.h"
#include "tars/nn/mlp.h"
#include "tars/rl/network_tensors.h"
#include "tars/rl/rollout_buffer.h"

namespace tars::rl {

std::vector<HyperparameterSpec> ppo_hyperparameter_schema() {
  using T = HyperparameterType;
  using R = ReloadClass;
  return {
      {"learning_rate", T::kSchedule, "3e-4", 1e-7, 1.0, {}, R::kHot, "Adam step size α"},
      {"n_steps", T::kInteger, "2048", 1, 1e6, {}, R::kWarm, "horizon T: steps per env per rollout"},
      {"batch_size", T::kInteger, "64", 1, 1e7, {}, R::kWarm, "minibatch size M"},
      {"n_epochs", T::kInteger, "10", 1, 1000, {}, R::kWarm, "epochs K over each rollout"},
      {"gamma", T::kNumber, "0.99", 0, 1, {}, R::kHot, "discount γ"},
      {"gae_lambda", T::kNumber, "0.95", 0, 1, {}, R::kHot, "GAE λ"},
      {"clip_range", T::kSchedule, "0.2", 1e-6, 10, {}, R::kHot, "surrogate clip ε"},
      {"clip_range_vf", T::kNumber, "0", 0, 1e6, {}, R::kHot,
       "value clip around the old value (0: off, as SB3's None)"},
      {"normalize_advantage", T::kBool, "true", 0, 0, {}, R::kHot,
       "normalise advantages per minibatch"},
      {"ent_coef", T::kNumber, "0", 0, 10, {}, R::kHot, "entropy bonus c2"},
      {"vf_coef", T::kNumber, "0.5", 0, 100, {}, R::kHot, "value loss coefficient c1"},
      {"max_grad_norm", T::kNumber, "0.5", 1e-6, 1e6, {}, R::kHot, "global gradient-norm clip"},
      {"target_kl", T::kNumber, "0", 0, 10, {}, R::kHot,
       "stop the epochs when approx. KL > 1.5 target (0: off)"},
      {"n_envs", T::kInteger, "1", 1, 4096, {}, R::kCold, "environments stepped together"},
      {"net_arch", T::kChoice, "small", 0, 0, {"tiny", "small", "medium"}, R::kCold,
       "hidden layers of actor and critic: tiny [64], small [64, 64], medium [256, 256]"},
      {"activation_fn", T::kChoice, "tanh", 0, 0, {"tanh", "relu"}, R::kCold, "hidden activation"},
      {"ortho_init", T::kBool, "true", 0, 0, {}, R::kCold,
       "orthogonal init (gains √2, policy 0.01, value 1)"},
      {"log_std_init", T::kNumber, "0", -20, 2, {}, R::kCold, "initial log σ (Box actions)"},
  };
}

namespace {

using Matrix = nn::Matrix<float>;
using ConstMap = nn::ConstMatrixMap<float>;

std::vector<nn::Index> hidden_sizes(const std::string& net_arch) {
  if (net_arch == "tiny") return {64};
  if (net_arch == "medium") return {256, 256};
  return {64, 64};
}

// Every field is a hyperparameter of the paper or of SB3's implementation.
struct PpoConfig {
  nn::Schedule learning_rate = nn::Schedule::constant(3e-4);  // α, per update
  int n_steps = 2048;                 // T: steps per env per rollout
  int batch_size = 64;                // M: minibatch size
  int n_epochs = 10;                  // K: passes over each rollout
  double gamma = 0.99;                // γ: discount
  double gae_lambda = 0.95;           // λ: GAE bias/variance trade-off
  nn::Schedule clip_range = nn::Schedule::constant(0.2);  // ε: ratio clip
  double clip_range_vf = 0.0;         // value clip (0: off)
  bool normalize_advantage = true;    // advantages to zero mean, unit std per minibatch
  double ent_coef = 0.0;              // c2: entropy bonus
  double vf_coef = 0.5;               // c1: value loss weight
  double max_grad_norm = 0.5;         // global gradient-norm clip
  double target_kl = 0.0;             // early stop of the epochs (0: off)
  int n_envs = 1;                     // environments per VectorEnv step

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

class Ppo final : public Agent {
 public:
  Ppo(const env::EnvSpec& spec, const Hyperparameters& hyperparameters, std::uint64_t seed)
      : spec_(spec),
        hyperparameters_(hyperparameters),
        config_(PpoConfig::from(hyperparameters)),
        rng_(seed),
        discrete_(spec.action_space.is_discrete()),
        obs_dim_(static_cast<nn::Index>(spec.observation_space.flat_size())),
        action_dim_(discrete_ ? spec.action_space.n()
                              : static_cast<nn::Index>(spec.action_space.flat_size())),
        actor_(layer_sizes(action_dim_), activation(), nn::Activation::kIdentity, rng_),
        critic_(layer_sizes(1), activation(), nn::Activation::kIdentity, rng_),
        gaussian_(discrete_ ? 1 : action_dim_,
                  static_cast<float>(hyperparameters.number("log_std_init"))),
        optimizer_(all_parameters(), nn::AdamOptions{.lr = config_.learning_rate.value(1.0),
                                                     .eps = 1e-5}) {
    if (hyperparameters.flag("ortho_init")) {
      actor_.init_orthogonal(std::sqrt(2.0), 0.01, rng_);
      critic_.init_orthogonal(std::sqrt(2.0), 1.0, rng_);
    }
  }

  std::string_view algorithm() const override { return "ppo"; }
  const env::EnvSpec& env_spec() const override { return spec_; }
  const Hyperparameters& hyperparameters() const override { return hyperparameters_; }

  void act(std::span<const float> observations, int batch, bool deterministic,
           std::span<std::int64_t> discrete, std::span<float> continuous) override {
    const ConstMap obs(observations.data(), obs_dim_, batch);
    const ConstMap head = actor_.predict(obs);
    if (discrete_) {
      categorical_.forward(head);
      if (deterministic) {
        categorical_.argmax(discrete.first(batch));
      } else {
        categorical_.sample(rng_, discrete.first(batch));
      }
      return;
    }
    nn::MatrixMap<float> out(continuous.data(), action_dim_, batch);
    if (deterministic) {
      out = head;
    } else {
      gaussian_.forward(head);
      gaussian_.sample(rng_, out);
    }
    clip_to_action_space(out);
  }

  core::Status learn(env::VectorEnv& envs, std::int64_t total_steps,
                     const ProgressCallback& progress) override;

  std::vector<nn::StoredTensor> tensors() const override {
    std::vector<nn::StoredTensor> out = mlp_tensors("actor.", actor_);
    append_tensors(out, mlp_tensors("critic.", critic_));
    if (!discrete_) out.push_back(vector_tensor("log_std", gaussian_.log_std()));
    return out;
  }

  core::Status load_tensors(const std::vector<nn::StoredTensor>& tensors) override {
    ShapeMap expected = mlp_shapes("actor.", actor_);
    merge_shapes(expected, mlp_shapes("critic.", critic_));
    if (!discrete_) expected["log_std"] = {action_dim_};
    if (core::Status status = check_shapes(tensors, expected); !status.ok()) return status;
    load_mlp("actor.", actor_, tensors);
    load_mlp("critic.", critic_, tensors);
    if (!discrete_) load_vector("log_std", gaussian_.log_std(), tensors);
    return {};
  }

 private:
  std::vector<nn::Index> layer_sizes(nn::Index out) const {
    std::vector<nn::Index> sizes = {obs_dim_};
    for (nn::Index h : hidden_sizes(hyperparameters_.choice("net_arch"))) sizes.push_back(h);
    sizes.push_back(out);
    return sizes;
  }
  nn::Activation activation() const {
    return hyperparameters_.choice("activation_fn") == "relu" ? nn::Activation::kReLU
                                                               : nn::Activation::kTanh;
  }
  nn::ParameterList<float> all_parameters() {
    nn::ParameterList<float> parameters = actor_.parameters("actor.");
    nn::append(parameters, critic_.parameters("critic."));
    if (!discrete_) nn::append(parameters, gaussian_.parameters());
    return parameters;
  }
  void clip_to_action_space(nn::MatrixMap<float>& actions) const {
    const env::Space& space = spec_.action_space;
    for (nn::Index j = 0; j < actions.rows(); ++j) {
      actions.row(j) = actions.row(j).cwiseMax(static_cast<float>(space.low()[j]))
                           .cwiseMin(static_cast<float>(space.high()[j]));
    }
  }

  // Fills the rollout buffer with n_steps steps of every copy (SB3's collect_rollouts).
  core::Status collect_rollout(env::VectorEnv& envs);
  // K epochs of minibatch updates on the filled buffer (SB3's PPO.train).
  void update(double progress_remaining);
  void record_episodes(const env::VectorEnv& envs);

  env::EnvSpec spec_;
  Hyperparameters hyperparameters_;
  PpoConfig config_;
  core::Generator rng_;
  bool discrete_;
  nn::Index obs_dim_;
  nn::Index action_dim_;
  nn::Mlp<float> actor_;   // logits (Discrete) or mean (Box)
  nn::Mlp<float> critic_;  // V(s)
  nn::Categorical<float> categorical_;
  nn::DiagGaussian<float> gaussian_;
  nn::Adam<float> optimizer_;
  std::optional<RolloutBuffer> buffer_;

  // Rollout state carried between rollouts.
  std::vector<std::uint8_t> episode_starts_;
  std::vector<double> episode_returns_;
  std::deque<double> recent_returns_;
  std::int64_t episodes_ = 0;
  std::int64_t steps_ = 0;
  LearnProgress progress_;

  // Per-step scratch, sized once.
  std::vector<float> step_observations_;  // obs_dim x n_envs
  std::vector<std::int64_t> step_discrete_;
  Matrix step_continuous_;        // sampled actions (stored), action_dim x n_envs
  Matrix env_actions_;            // clipped actions sent to the env
  std::vector<float> step_values_;
  std::vector<float> step_log_probs_;
  std::vector<float> final_values_;
  Matrix final_observations_;     // obs_dim x n_envs
};

core::Status Ppo::learn(env::VectorEnv& envs, std::int64_t total_steps,
                        const ProgressCallback& progress) {
  if (envs.num_envs() != config_.n_envs) {
    return core::invalid_argument(fmt::format("PPO was configured for n_envs={}, got a VectorEnv "
                                              "of {}", config_.n_envs, envs.num_envs()));
  }
  if (config_.n_steps * config_.n_envs < 2 && config_.normalize_advantage) {
    return core::invalid_argument("n_steps * n_envs must be > 1 to normalise advantages");
  }
  const int n = config_.n_envs;
  auto buffer = RolloutBuffer::make({.n_steps = config_.n_steps,
                                     .n_envs = n,
                                     .observation_size = static_cast<std::size_t>(obs_dim_),
                                     .discrete_actions = discrete_,
                                     .action_size = static_cast<std::size_t>(action_dim_),
                                     .gamma = config_.gamma,
                                     .gae_lambda = config_.gae_lambda});
  if (!buffer.ok()) return buffer.status();
  buffer_.emplace(std::move(*buffer));
  step_observations_.assign(static_cast<std::size_t>(obs_dim_) * n, 0.0f);
  episode_starts_.assign(n, 1);
  episode_returns_.assign(n, 0.0);
  step_discrete_.assign(n, 0);
  step_continuous_.resize(action_dim_, n);
  env_actions_.resize(action_dim_, n);
  step_values_.assign(n, 0.0f);
  step_log_probs_.assign(n, 0.0f);
  final_values_.assign(n, 0.0f);
  final_observations_.setZero(obs_dim_, n);

  const std::int64_t start = steps_;
  while (steps_ - start < total_steps) {
    if (core::Status status = collect_rollout(envs); !status.ok()) return status;
    const double progress_remaining =
        nn::progress_remaining(static_cast<double>(steps_ - start), static_cast<double>(total_steps));
    update(progress_remaining);
    progress_.steps = steps_;
    progress_.episodes = episodes_;
    progress_.recent_return_mean =
        recent_returns_.empty()
            ? 0.0
            : std::accumulate(recent_returns_.begin(), recent_returns_.end(), 0.0) /
                  static_cast<double>(recent_returns_.size());
    if (progress) progress(progress_);
  }
  return {};
}

core::Status Ppo::collect_rollout(env::VectorEnv& envs) {
  RolloutBuffer& buffer = *buffer_;
  buffer.reset();
  const int n = config_.n_envs;
  for (int t = 0; t < config_.n_steps; ++t) {
    // π(·|s) and V(s) for the current observations of every copy.
    const std::span<const float> observations = envs.observations();
    const ConstMap obs(observations.data(), obs_dim_, n);
    const ConstMap values = critic_.predict(obs);
    std::copy_n(values.data(), n, step_values_.begin());
    const ConstMap head = actor_.predict(obs);
    if (discrete_) {
      categorical_.forward(head);
      categorical_.sample(rng_, step_discrete_);
      categorical_.log_prob(step_discrete_, step_log_probs_);
    } else {
      gaussian_.forward(head);
      gaussian_.sample(rng_, step_continuous_);
      gaussian_.log_prob(step_continuous_, step_log_probs_);
      env_actions_ = step_continuous_;
      nn::MatrixMap<float> clipped(env_actions_.data(), action_dim_, n);
      clip_to_action_space(clipped);
    }

    // The step overwrites the VectorEnv's observations: keep the ones acted on for the buffer.
    RolloutStep step;
    step.discrete_actions = step_discrete_;
    step.continuous_actions = std::span<const float>(step_continuous_.data(),
                                                     discrete_ ? 0 : step_continuous_.size());
    step.episode_starts = episode_starts_;
    step.values = step_values_;
    step.log_probs = step_log_probs_;
    std::copy(observations.begin(), observations.end(), step_observations_.begin());
    step.observations = step_observations_;

    core::Status stepped =
        discrete_ ? envs.step(std::span<const std::int64_t>(step_discrete_))
                  : envs.step(std::span<const float>(env_actions_.data(), env_actions_.size()));
    if (!stepped.ok()) return stepped;
    steps_ += n;

    // Bootstrap truncated episodes with V(final observation) (SB3's TimeLimit handling).
    bool any_truncated = false;
    for (int i = 0; i < n; ++i) {
      if (envs.truncated()[i] && !envs.terminated()[i]) {
        const std::span<const float> last = envs.final_observation(i);
        std::copy(last.begin(), last.end(), final_observations_.col(i).data());
        any_truncated = true;
      }
    }
    if (any_truncated) {
      const ConstMap final_values = critic_.predict(final_observations_);
      std::copy_n(final_values.data(), n, final_values_.begin());
      step.terminated = envs.terminated();
      step.truncated = envs.truncated();
      step.final_values = final_values_;
    }
    step.rewards = envs.rewards();
    if (core::Status status = buffer.add(step); !status.ok()) return status;
    record_episodes(envs);
  }
  const ConstMap obs(envs.observations().data(), obs_dim_, n);
  const ConstMap last_values = critic_.predict(obs);
  return buffer.compute_returns_and_advantages(std::span<const float>(last_values.data(), n),
                                               episode_starts_);
}

void Ppo::record_episodes(const env::VectorEnv& envs) {
  constexpr std::size_t kRecentEpisodes = 100;
  for (int i = 0; i < envs.num_envs(); ++i) {
    episode_returns_[i] += envs.rewards()[i];
    const bool done = envs.terminated()[i] || envs.truncated()[i];
    episode_starts_[i] = done;
    if (!done) continue;
    recent_returns_.push_back(episode_returns_[i]);
    if (recent_returns_.size() > kRecentEpisodes) recent_returns_.pop_front();
    episode_returns_[i] = 0.0;
    ++episodes_;
  }
}

void Ppo::update(double progress_remaining) {
  optimizer_.set_lr(config_.learning_rate.value(progress_remaining));
  const float clip = static_cast<float>(config_.clip_range.value(progress_remaining));
  const float clip_vf = static_cast<float>(config_.clip_range_vf);
  const float vf_coef = static_cast<float>(config_.vf_coef);
  const nn::ParameterList<float>& parameters = optimizer_.parameters();

  std::vector<float> log_probs, entropies, advantages, weights, value_grads;
  double pg_loss_sum = 0, value_loss_sum = 0, entropy_sum = 0, clip_fraction_sum = 0;
  double approx_kl = 0;
  int minibatches = 0;
  bool keep_going = true;
  for (int epoch = 0; epoch < config_.n_epochs && keep_going; ++epoch) {
    auto batches = buffer_->minibatches(static_cast<std::size_t>(config_.batch_size), rng_);
    for (const RolloutMinibatch& mb : *batches) {
      const auto size = static_cast<nn::Index>(mb.size());
      const float inv_size = 1.0f / static_cast<float>(size);
      const ConstMap obs(mb.observations.data(), obs_dim_, size);
      log_probs.resize(size);
      entropies.resize(size);
      weights.resize(size);
      value_grads.resize(size);

      // Advantages Â, normalised per minibatch (torch's unbiased std, as SB3).
      advantages.assign(mb.advantages.begin(), mb.advantages.end());
      if (config_.normalize_advantage && size > 1) {
        const double mean = std::accumulate(advantages.begin(), advantages.end(), 0.0) / size;
        double sq = 0;
        for (float a : advantages) sq += (a - mean) * (a - mean);
        const double std = std::sqrt(sq / static_cast<double>(size - 1));
        for (float& a : advantages) a = static_cast<float>((a - mean) / (std + 1e-8));
      }

      // New log π(a|s) and entropy under the current policy.
      const ConstMap head = actor_.forward(obs);
      const ConstMap actions(mb.continuous_actions.data(), action_dim_, discrete_ ? 0 : size);
      if (discrete_) {
        categorical_.forward(head);
        categorical_.log_prob(mb.discrete_actions, log_probs);
        categorical_.entropy(entropies);
      } else {
        gaussian_.forward(head);
        gaussian_.log_prob(actions, log_probs);
        std::fill(entropies.begin(), entropies.end(), gaussian_.entropy());
      }

      // Clipped surrogate L^CLIP = -mean(min(r Â, clip(r, 1-ε, 1+ε) Â)); its gradient flows
      // through the unclipped term only where that term is the minimum.
      double pg_loss = 0, kl = 0, clipped = 0;
      for (nn::Index i = 0; i < size; ++i) {
        const float log_ratio = log_probs[i] - mb.log_probs[i];
        const float ratio = std::exp(log_ratio);
        const float a = advantages[i];
        const float unclipped = ratio * a;
        const float clipped_term = std::clamp(ratio, 1.0f - clip, 1.0f + clip) * a;
        pg_loss -= std::min(unclipped, clipped_term);
        weights[i] = unclipped <= clipped_term ? -unclipped * inv_size : 0.0f;
        kl += (ratio - 1.0f) - log_ratio;
        clipped += std::abs(ratio - 1.0f) > clip;
      }
      approx_kl = kl / size;
      if (config_.target_kl > 0 && approx_kl > 1.5 * config_.target_kl) {
        keep_going = false;
        break;
      }

      // Value loss c1 · mean((R - V)²), optionally with V clipped around the old value.
      const ConstMap values = critic_.forward(obs);
      double value_loss = 0;
      for (nn::Index i = 0; i < size; ++i) {
        float v = values(0, i);
        float dv = 1.0f;
        if (clip_vf > 0) {
          const float delta = v - mb.values[i];
          if (std::abs(delta) > clip_vf) dv = 0.0f;
          v = mb.values[i] + std::clamp(delta, -clip_vf, clip_vf);
        }
        const float error = v - mb.returns[i];
        value_loss += error * error;
        value_grads[i] = vf_coef * 2.0f * error * inv_size * dv;
      }

      // Backward of pg + c1 · value − c2 · entropy, clip the global norm, Adam step.
      optimizer_.zero_grad();
      const float entropy_coef = -static_cast<float>(config_.ent_coef) * inv_size;
      const ConstMap grad_head =
          discrete_ ? categorical_.backward(mb.discrete_actions, weights, entropy_coef)
                    : gaussian_.backward(actions, weights, entropy_coef);
      actor_.backward_parameters(grad_head);
      critic_.backward_parameters(ConstMap(value_grads.data(), 1, size));
      nn::clip_grad_norm(parameters, static_cast<float>(config_.max_grad_norm));
      optimizer_.step();

      pg_loss_sum += pg_loss / size;
      value_loss_sum += value_loss / size;
      entropy_sum += std::accumulate(entropies.begin(), entropies.end(), 0.0) / size;
      clip_fraction_sum += clipped / size;
      ++minibatches;
    }
  }
  const double count = std::max(minibatches, 1);
  progress_.metrics = {{"policy_loss", pg_loss_sum / count},
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
