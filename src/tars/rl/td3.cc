// TD3 and DDPG, readable top to bottom (their config is in td3_config.h): networks → learn
// (collect a step → train).
//
// Follows Stable-Baselines3 (td3/td3.py, common/off_policy_algorithm.py): the actor outputs
// tanh in [-1, 1]; exploration noise is added in that scale and clipped, the result is what the
// replay buffer stores and what the critics see, and it is rescaled to the action box only for
// the environment. Before `learning_starts` steps the actions are uniform in the box (noise is
// still added, as SB3 does).
#include "tars/rl/td3.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "tars/nn/adam.h"
#include "tars/nn/loss.h"
#include "tars/nn/mlp.h"
#include "tars/nn/tanh_bounded.h"
#include "tars/rl/action_noise.h"
#include "tars/rl/network_tensors.h"
#include "tars/rl/replay_buffer.h"
#include "tars/rl/rolling_mean.h"
#include "tars/rl/td3_config.h"
#include "tars/rl/training_state.h"

namespace tars::rl {

namespace {

using Matrix = nn::Matrix<float>;
using ConstMap = nn::ConstMatrixMap<float>;
using MatrixMap = nn::MatrixMap<float>;

// Environment steps between two progress reports (an off-policy update happens every step).
constexpr std::int64_t kReportInterval = 1000;
constexpr std::size_t kRecentEpisodes = 100;

std::vector<nn::Index> hidden_sizes(const std::string& net_arch) {
  if (net_arch == "small") return {64, 64};
  if (net_arch == "medium") return {256, 256};
  return {400, 300};
}

nn::Vector<float> bound(const std::vector<double>& values) {
  return Eigen::Map<const nn::Vector<double>>(values.data(), static_cast<nn::Index>(values.size()))
      .cast<float>();
}

class Td3 final : public Agent {
 public:
  Td3(std::string_view name, const env::EnvSpec& spec, const Hyperparameters& hyperparameters,
      std::uint64_t seed, ActionNoise noise)
      : name_(name),
        spec_(spec),
        hyperparameters_(hyperparameters),
        config_(Td3Config::from(hyperparameters)),
        rng_(seed),
        obs_dim_(static_cast<nn::Index>(spec.observation_space.flat_size())),
        action_dim_(static_cast<nn::Index>(spec.action_space.flat_size())),
        box_(bound(spec.action_space.low()), bound(spec.action_space.high())),
        actor_(layer_sizes(obs_dim_, action_dim_), activation(), nn::Activation::kTanh, rng_),
        actor_target_(actor_),
        critics_(make_critics()),
        critic_targets_(critics_),
        actor_optimizer_(actor_.parameters("actor."), {.lr = config_.learning_rate.value(1.0)}),
        critic_optimizer_(critic_parameters(), {.lr = critic_learning_rate(1.0),
                                                .weight_decay = config_.critic_weight_decay}),
        noise_(std::move(noise)),
        episode_returns_(static_cast<std::size_t>(config_.n_envs), 0.0),
        recent_returns_(kRecentEpisodes) {}

  std::string_view algorithm() const override { return name_; }
  const env::EnvSpec& env_spec() const override { return spec_; }
  const Hyperparameters& hyperparameters() const override { return hyperparameters_; }

  // Hot values (learning rate, τ, γ, d, σ̃, c) apply at the next update; warm ones (batch size,
  // learning_starts, train_freq, gradient_steps, exploration noise) at the next learn().
  core::Status set_hyperparameters(
      const std::vector<std::pair<std::string, std::string>>& assignments) override {
    auto changed = with_live_changes(hyperparameters_, assignments);
    if (!changed.ok()) return changed.status();
    hyperparameters_ = std::move(*changed);
    const Td3Config next = Td3Config::from(hyperparameters_);
    config_.learning_rate = next.learning_rate;
    config_.critic_learning_rate = next.critic_learning_rate;
    config_.tau = next.tau;
    config_.gamma = next.gamma;
    config_.policy_delay = next.policy_delay;
    config_.target_policy_noise = next.target_policy_noise;
    config_.target_noise_clip = next.target_noise_clip;
    return {};
  }

  // μ(s) rescaled to the box. The policy is deterministic either way (as SB3's predict):
  // exploration noise belongs to learning.
  void act(std::span<const float> observations, int batch, bool /*deterministic*/,
           std::span<std::int64_t> /*discrete*/, std::span<float> continuous) override {
    const ConstMap obs(observations.data(), obs_dim_, batch);
    MatrixMap out(continuous.data(), action_dim_, batch);
    box_.from_unit(actor_.predict(obs), out);
    clip_to_box(out);
  }

  core::Status learn(env::VectorEnv& envs, std::int64_t total_steps,
                     const ProgressCallback& progress) override;

  core::Status explore(std::span<const float> observation, std::int64_t& /*discrete*/,
                       std::span<float> continuous) override {
    if (core::Status status = prepare(1); !status.ok()) return status;
    exploring_actions(observation, 1);
    std::copy_n(env_actions_.data(), action_dim_, continuous.begin());
    return {};
  }

  // Q_θ1(s, a) of each candidate (rows of `continuous`, in the box).
  core::Status score_actions(std::span<const float> observation,
                             std::span<const std::int64_t> /*discrete*/,
                             std::span<const float> continuous, std::span<double> scores) override {
    const auto k = static_cast<nn::Index>(scores.size());
    candidate_input_.resize(obs_dim_ + action_dim_, k);
    candidate_input_.topRows(obs_dim_) = ConstMap(observation.data(), obs_dim_, 1).replicate(1, k);
    box_.to_unit(ConstMap(continuous.data(), action_dim_, k),
                 candidate_input_.bottomRows(action_dim_));
    const ConstMap q = critics_[0].predict(candidate_input_);
    for (nn::Index i = 0; i < k; ++i) scores[i] = q(0, i);
    return {};
  }

  core::Status observe(const Transition& transition) override;

  // Warm changes (noise σ) apply between episodes, and each episode starts a new noise process.
  void end_episode() override {
    apply_warm_changes();
    noise_.reset();
  }

  const LearnProgress& progress() const override { return progress_; }

  std::uint64_t memory_bytes() const override {
    return tensor_bytes(tensors()) + optimizer_bytes(actor_optimizer_) +
           optimizer_bytes(critic_optimizer_) +
           (buffer_ ? ReplayBuffer::storage_bytes(buffer_->options()) : 0);
  }

  std::vector<nn::StoredTensor> tensors() const override {
    std::vector<nn::StoredTensor> out = mlp_tensors("actor.", actor_);
    append_tensors(out, mlp_tensors("actor_target.", actor_target_));
    for (int k = 0; k < config_.n_critics; ++k) {
      append_tensors(out, mlp_tensors(critic_prefix("critic", k), critics_[k]));
      append_tensors(out, mlp_tensors(critic_prefix("critic_target", k), critic_targets_[k]));
    }
    return out;
  }

  core::Status load_tensors(const std::vector<nn::StoredTensor>& tensors) override {
    ShapeMap expected = mlp_shapes("actor.", actor_);
    merge_shapes(expected, mlp_shapes("actor_target.", actor_target_));
    for (int k = 0; k < config_.n_critics; ++k) {
      merge_shapes(expected, mlp_shapes(critic_prefix("critic", k), critics_[k]));
      merge_shapes(expected, mlp_shapes(critic_prefix("critic_target", k), critic_targets_[k]));
    }
    if (core::Status status = check_shapes(tensors, expected); !status.ok()) return status;
    load_mlp("actor.", actor_, tensors);
    load_mlp("actor_target.", actor_target_, tensors);
    for (int k = 0; k < config_.n_critics; ++k) {
      load_mlp(critic_prefix("critic", k), critics_[k], tensors);
      load_mlp(critic_prefix("critic_target", k), critic_targets_[k], tensors);
    }
    return {};
  }

  TrainingState training_state() const override {
    return write_training_state([this](StateWriter& out) { state_fields(*this, out); });
  }
  core::Status load_training_state(const TrainingState& state) override {
    return read_training_state(state, [this](StateReader& in) { state_fields(*this, in); });
  }
  // The buffer is allocated on first use: none before.
  std::optional<nn::SafetensorsFile> replay_buffer() const override {
    if (!buffer_) return std::nullopt;
    nn::SafetensorsFile file;
    buffer_->save(file);
    return file;
  }
  core::Status load_replay_buffer(const nn::SafetensorsFile& file) override {
    if (core::Status status = make_buffer(); !status.ok()) return status;
    return buffer_->load(file);
  }

 private:
  template <typename Self, typename Archive>
  static void state_fields(Self& self, Archive& archive) {
    archive.generator("rng", self.rng_);
    archive.progress("progress", self.progress_);
    archive.integer("steps", self.steps_);
    archive.integer("episodes", self.episodes_);
    archive.integer("n_updates", self.n_updates_);
    archive.numbers("episode_returns", self.episode_returns_);
    archive.window("recent_returns", self.recent_returns_);
    archive.noise("noise", self.noise_);
    archive.optimizer("actor_optimizer", self.actor_optimizer_);
    archive.optimizer("critic_optimizer", self.critic_optimizer_);
  }

  // SB3's names: critic.qf0, critic.qf1, ...
  static std::string critic_prefix(const char* network, int k) {
    return fmt::format("{}.qf{}.", network, k);
  }
  std::vector<nn::Index> layer_sizes(nn::Index in, nn::Index out) const {
    std::vector<nn::Index> sizes = {in};
    for (nn::Index h : hidden_sizes(hyperparameters_.choice("net_arch"))) sizes.push_back(h);
    sizes.push_back(out);
    return sizes;
  }
  nn::Activation activation() const {
    return hyperparameters_.choice("activation_fn") == "tanh" ? nn::Activation::kTanh
                                                              : nn::Activation::kReLU;
  }
  // Q_θk(s, a): [obs; action] → 1, PyTorch's default init drawn critic after critic.
  std::vector<nn::Mlp<float>> make_critics() {
    std::vector<nn::Mlp<float>> critics;
    critics.reserve(static_cast<std::size_t>(config_.n_critics));
    for (int k = 0; k < config_.n_critics; ++k) {
      critics.emplace_back(layer_sizes(obs_dim_ + action_dim_, 1), activation(),
                           nn::Activation::kIdentity, rng_);
    }
    return critics;
  }
  // One optimizer over all critics, as SB3 (their losses are summed).
  nn::ParameterList<float> critic_parameters() {
    nn::ParameterList<float> parameters;
    for (int k = 0; k < config_.n_critics; ++k) {
      nn::append(parameters, critics_[k].parameters(critic_prefix("critic", k)));
    }
    return parameters;
  }
  void clip_to_box(MatrixMap& actions) const {
    actions = actions.cwiseMax(box_.low().replicate(1, actions.cols()))
                  .cwiseMin(box_.high().replicate(1, actions.cols()));
  }

  // Takes over every value set_hyperparameters() changed; a changed noise restarts its process.
  void apply_warm_changes() {
    const Td3Config next = Td3Config::from(hyperparameters_);
    if (next.noise_type != config_.noise_type || next.noise_std != config_.noise_std) {
      noise_ = *ActionNoise::make({.type = next.noise_type,
                                   .n_envs = next.n_envs,
                                   .action_dim = static_cast<int>(action_dim_),
                                   .sigma = next.noise_std});
    }
    config_ = next;
  }

  double critic_learning_rate(double progress_remaining) const {
    return config_.critic_learning_rate > 0 ? config_.critic_learning_rate
                                            : config_.learning_rate.value(progress_remaining);
  }
  // Allocates the replay buffer (once).
  core::Status make_buffer();
  // make_buffer(), and the scratch for n_envs copies.
  core::Status prepare(int n_envs);
  // Exploring actions for `n` observations into step_actions_ ([-1, 1], stored) and
  // env_actions_ (the box, stepped): uniform in the box during the warm-up, else μ(s) + N.
  void exploring_actions(std::span<const float> observations, int n);
  // One VectorEnv step with exploration; stores the transitions.
  core::Status collect_step(env::VectorEnv& envs);
  // `gradient_steps` updates of the critics, every d-th one also of the actor and the targets.
  void train(int gradient_steps, double progress_remaining);
  void record_episodes(const env::VectorEnv& envs);
  void record_step(int copy, double reward, bool done);
  void report(const ProgressCallback& progress);

  std::string name_;
  env::EnvSpec spec_;
  Hyperparameters hyperparameters_;
  Td3Config config_;
  core::Generator rng_;
  nn::Index obs_dim_;
  nn::Index action_dim_;
  nn::TanhBounded<float> box_;   // [-1, 1] ↔ action box (SB3's scale_action / unscale_action)
  nn::Mlp<float> actor_;         // μ_φ(s) in [-1, 1]
  nn::Mlp<float> actor_target_;  // μ_φ'
  std::vector<nn::Mlp<float>> critics_;         // Q_θk(s, a)
  std::vector<nn::Mlp<float>> critic_targets_;  // Q_θ'k
  nn::Adam<float> actor_optimizer_;
  nn::Adam<float> critic_optimizer_;
  ActionNoise noise_;
  std::optional<ReplayBuffer> buffer_;
  std::int64_t n_updates_ = 0;  // gradient steps so far (SB3's _n_updates)

  // Episode statistics.
  std::vector<double> episode_returns_;  // of each copy's episode in progress
  RollingMean recent_returns_;           // of the last kRecentEpisodes episodes
  std::int64_t episodes_ = 0;
  std::int64_t steps_ = 0;
  LearnProgress progress_;
  double critic_loss_sum_ = 0;
  double actor_loss_sum_ = 0;
  std::int64_t critic_updates_ = 0;
  std::int64_t actor_updates_ = 0;

  // Scratch, sized in learn() and reused by every step and update.
  std::vector<float> step_observations_;  // obs_dim x n_envs, acted on
  Matrix step_actions_;                   // action_dim x n_envs in [-1, 1] (stored)
  Matrix env_actions_;                    // the same in the box (stepped)
  std::vector<float> step_noise_;         // n_envs x action_dim
  ReplayBatch batch_;
  Matrix critic_input_;       // [s; a], (obs_dim + action_dim) x batch
  Matrix next_critic_input_;  // [s'; ã'] for the target
  Matrix target_q_;           // 1 x batch
  Matrix q_grad_;             // dL/dQ, 1 x batch
  Matrix action_grad_;        // dL/da from the critic, action_dim x batch
  Matrix candidate_input_;    // score_actions(): [s; a] per candidate
  Matrix online_action_;      // observe(): the executed action in [-1, 1]
};

core::Status Td3::learn(env::VectorEnv& envs, std::int64_t total_steps,
                        const ProgressCallback& progress) {
  if (envs.num_envs() != config_.n_envs) {
    return core::invalid_argument(
        fmt::format("{} was configured for n_envs={}, got a VectorEnv of {}", name_, config_.n_envs,
                    envs.num_envs()));
  }
  apply_warm_changes();
  if (core::Status status = prepare(config_.n_envs); !status.ok()) return status;

  // SB3's learn loop: collect train_freq steps per copy, then train once enough steps are in.
  // Schedules run over every step so far plus this call's (see Agent::learn).
  const std::int64_t end = steps_ + total_steps;
  std::int64_t next_report = steps_ + kReportInterval;
  while (steps_ < end) {
    for (int t = 0; t < config_.train_freq && steps_ < end; ++t) {
      if (core::Status status = collect_step(envs); !status.ok()) return status;
    }
    if (steps_ > config_.learning_starts) {
      const int gradient_steps = config_.gradient_steps >= 0 ? config_.gradient_steps
                                                             : config_.train_freq * config_.n_envs;
      train(gradient_steps,
            nn::progress_remaining(static_cast<double>(steps_), static_cast<double>(end)));
    }
    if (steps_ >= next_report || steps_ >= end) {
      next_report = steps_ + kReportInterval;
      report(progress);
    }
  }
  return {};
}

core::Status Td3::make_buffer() {
  if (buffer_) return {};
  auto buffer = ReplayBuffer::make({.capacity = static_cast<std::size_t>(config_.buffer_size),
                                    .observation_size = static_cast<std::size_t>(obs_dim_),
                                    .discrete_actions = false,
                                    .action_size = static_cast<std::size_t>(action_dim_)});
  if (!buffer.ok()) return buffer.status();
  buffer_.emplace(std::move(*buffer));
  return {};
}

core::Status Td3::prepare(int n) {
  if (core::Status status = make_buffer(); !status.ok()) return status;
  const nn::Index b = config_.batch_size;
  if (step_actions_.cols() == n && critic_input_.cols() == b) return {};
  step_observations_.assign(static_cast<std::size_t>(obs_dim_) * n, 0.0f);
  step_actions_.setZero(action_dim_, n);
  env_actions_.setZero(action_dim_, n);
  step_noise_.assign(static_cast<std::size_t>(action_dim_) * n, 0.0f);
  online_action_.setZero(action_dim_, 1);
  critic_input_.setZero(obs_dim_ + action_dim_, b);
  next_critic_input_.setZero(obs_dim_ + action_dim_, b);
  target_q_.setZero(1, b);
  q_grad_.setZero(1, b);
  action_grad_.setZero(action_dim_, b);
  for (const char* metric : {"critic_loss", "actor_loss", "learning_rate", "n_updates"}) {
    progress_.metrics.try_emplace(metric, 0.0);
  }
  return {};
}

core::Status Td3::collect_step(env::VectorEnv& envs) {
  const int n = config_.n_envs;
  const std::span<const float> observations = envs.observations();
  // The step overwrites the VectorEnv's observations: keep the ones acted on for the buffer.
  std::copy(observations.begin(), observations.end(), step_observations_.begin());
  exploring_actions(step_observations_, n);
  if (core::Status status =
          envs.step(std::span<const float>(env_actions_.data(), env_actions_.size()));
      !status.ok()) {
    return status;
  }
  steps_ += n;
  // Next observations of finished episodes are their final ones; only termination stops the
  // bootstrap, truncation does not.
  if (core::Status status =
          buffer_->add(step_observations_,
                       std::span<const float>(step_actions_.data(), step_actions_.size()), envs);
      !status.ok()) {
    return status;
  }
  record_episodes(envs);
  return {};
}

void Td3::exploring_actions(std::span<const float> observations, int n) {
  // a = clip(μ(s) + N, -1, 1), or uniform in the box during the warm-up.
  if (steps_ < config_.learning_starts) {
    const env::Space& space = spec_.action_space;
    for (int i = 0; i < n; ++i) {
      for (nn::Index j = 0; j < action_dim_; ++j) {
        env_actions_(j, i) = static_cast<float>(rng_.uniform(space.low()[j], space.high()[j]));
      }
    }
    box_.to_unit(env_actions_, step_actions_);
  } else {
    step_actions_ = actor_.predict(ConstMap(observations.data(), obs_dim_, n));
  }
  if (config_.noise_type != ActionNoiseType::kNone) {
    noise_.sample(rng_, step_noise_);
    step_actions_ = (step_actions_ + ConstMap(step_noise_.data(), action_dim_, n))
                        .cwiseMax(-1.0f)
                        .cwiseMin(1.0f);
  }
  MatrixMap env_actions(env_actions_.data(), action_dim_, n);
  box_.from_unit(step_actions_, env_actions);
  clip_to_box(env_actions);
}

// Online learning: store the executed action in the actor's [-1, 1] scale, train as learn()
// does (train_freq, gradient_steps, learning_starts) with the learning rates at their start.
core::Status Td3::observe(const Transition& transition) {
  if (core::Status status = prepare(1); !status.ok()) return status;
  box_.to_unit(ConstMap(transition.continuous_action.data(), action_dim_, 1), online_action_);
  if (core::Status status = buffer_->add(
          transition.observation, std::span<const float>(online_action_.data(), action_dim_),
          transition.reward, transition.next_observation, transition.terminated);
      !status.ok()) {
    return status;
  }
  ++steps_;
  record_step(0, transition.reward, transition.terminated || transition.truncated);
  if (steps_ > config_.learning_starts && steps_ % config_.train_freq == 0) {
    train(config_.gradient_steps >= 0 ? config_.gradient_steps : config_.train_freq, 1.0);
    report({});
  }
  return {};
}

void Td3::record_episodes(const env::VectorEnv& envs) {
  for (int i = 0; i < envs.num_envs(); ++i) {
    record_step(i, envs.rewards()[i], envs.terminated()[i] || envs.truncated()[i]);
  }
}

void Td3::record_step(int copy, double reward, bool done) {
  episode_returns_[copy] += reward;
  if (!done) return;
  noise_.reset(copy);  // a new episode starts a new noise process
  recent_returns_.add(episode_returns_[copy]);
  episode_returns_[copy] = 0.0;
  ++episodes_;
}

void Td3::train(int gradient_steps, double progress_remaining) {
  actor_optimizer_.set_lr(config_.learning_rate.value(progress_remaining));
  critic_optimizer_.set_lr(critic_learning_rate(progress_remaining));
  const auto gamma = static_cast<float>(config_.gamma);
  const auto sigma = static_cast<float>(config_.target_policy_noise);
  const auto clip = static_cast<float>(config_.target_noise_clip);
  const auto tau = static_cast<float>(config_.tau);
  const nn::Index b = config_.batch_size;
  const float inv_b = 1.0f / static_cast<float>(b);

  for (int step = 0; step < gradient_steps; ++step) {
    ++n_updates_;
    // A replay-buffer sample cannot fail here: the buffer holds transitions and b > 0.
    (void)buffer_->sample(static_cast<std::size_t>(b), rng_, batch_);
    const ConstMap obs(batch_.observations.data(), obs_dim_, b);
    const ConstMap actions(batch_.continuous_actions.data(), action_dim_, b);
    const ConstMap next_obs(batch_.next_observations.data(), obs_dim_, b);
    const ConstMap rewards(batch_.rewards.data(), 1, b);
    const ConstMap terminated(batch_.terminated.data(), 1, b);

    // Target y = r + γ (1 − d) min_k Q_θ'k(s', ã'), with target policy smoothing
    // ã' = clip(μ_φ'(s') + clip(ε, −c, c), −1, 1), ε ~ N(0, σ̃²).
    next_critic_input_.topRows(obs_dim_) = next_obs;
    auto next_actions = next_critic_input_.bottomRows(action_dim_);
    next_actions = actor_target_.predict(next_obs);
    if (sigma > 0) {
      for (nn::Index i = 0; i < b; ++i) {
        for (nn::Index j = 0; j < action_dim_; ++j) {
          const float epsilon =
              std::clamp(sigma * static_cast<float>(rng_.standard_normal()), -clip, clip);
          next_actions(j, i) = std::clamp(next_actions(j, i) + epsilon, -1.0f, 1.0f);
        }
      }
    }
    target_q_ = critic_targets_[0].predict(next_critic_input_);
    for (int k = 1; k < config_.n_critics; ++k) {
      target_q_ = target_q_.cwiseMin(critic_targets_[k].predict(next_critic_input_));
    }
    target_q_.array() = rewards.array() + gamma * (1.0f - terminated.array()) * target_q_.array();

    // Critics: minimise Σ_k mean (Q_θk(s, a) − y)².
    critic_input_.topRows(obs_dim_) = obs;
    critic_input_.bottomRows(action_dim_) = actions;
    critic_optimizer_.zero_grad();
    for (int k = 0; k < config_.n_critics; ++k) {
      const ConstMap q = critics_[k].forward(critic_input_);
      critic_loss_sum_ += nn::mse_loss<float>(q, target_q_, q_grad_);
      critics_[k].backward_parameters(q_grad_);
    }
    critic_optimizer_.step();
    ++critic_updates_;

    // Delayed policy update: ascend Q_θ1(s, μ_φ(s)) (loss −mean Q_θ1), the gradient reaching
    // the actor through dQ/da, the action rows of the critic's input gradient.
    if (n_updates_ % config_.policy_delay != 0) continue;
    critic_input_.bottomRows(action_dim_) = actor_.forward(obs);
    const ConstMap q = critics_[0].forward(critic_input_);
    actor_loss_sum_ -= q.mean();
    ++actor_updates_;
    q_grad_.setConstant(-inv_b);
    action_grad_ = critics_[0].backward(q_grad_).bottomRows(action_dim_);
    actor_optimizer_.zero_grad();
    actor_.backward_parameters(action_grad_);
    actor_optimizer_.step();

    // Soft target updates θ' ← τ θ + (1 − τ) θ', φ' ← τ φ + (1 − τ) φ'.
    for (int k = 0; k < config_.n_critics; ++k) critic_targets_[k].polyak(critics_[k], tau);
    actor_target_.polyak(actor_, tau);
  }
}

void Td3::report(const ProgressCallback& progress) {
  progress_.steps = steps_;
  progress_.episodes = episodes_;
  progress_.recent_return_mean = recent_returns_.mean();
  // Means since the previous report; existing keys are overwritten without allocating.
  if (critic_updates_ > 0) {
    progress_.metrics["critic_loss"] = critic_loss_sum_ / static_cast<double>(critic_updates_);
  }
  if (actor_updates_ > 0) {
    progress_.metrics["actor_loss"] = actor_loss_sum_ / static_cast<double>(actor_updates_);
  }
  progress_.metrics["learning_rate"] = actor_optimizer_.lr();
  progress_.metrics["n_updates"] = static_cast<double>(n_updates_);
  critic_loss_sum_ = actor_loss_sum_ = 0;
  critic_updates_ = actor_updates_ = 0;
  if (progress) progress(progress_);
}

core::Expected<std::unique_ptr<Agent>> make_variant(std::string_view name, const env::EnvSpec& spec,
                                                    const Hyperparameters& hyperparameters,
                                                    std::uint64_t seed) {
  const env::Space& actions = spec.action_space;
  if (actions.is_discrete()) {
    return core::invalid_argument(
        fmt::format("{} needs a Box action space, {} has {}", name, spec.id, actions.describe()));
  }
  for (std::size_t j = 0; j < actions.flat_size(); ++j) {
    if (!std::isfinite(actions.low()[j]) || !std::isfinite(actions.high()[j]) ||
        !(actions.low()[j] < actions.high()[j])) {
      return core::invalid_argument(
          fmt::format("{} needs finite action bounds low < high, {} has {}", name, spec.id,
                      actions.describe()));
    }
  }
  auto type = parse_action_noise_type(hyperparameters.choice("noise_type"));
  if (!type.ok()) return type.status();
  auto noise = ActionNoise::make({.type = *type,
                                  .n_envs = static_cast<int>(hyperparameters.integer("n_envs")),
                                  .action_dim = static_cast<int>(actions.flat_size()),
                                  .sigma = hyperparameters.number("noise_std")});
  if (!noise.ok()) return noise.status();
  return std::unique_ptr<Agent>(
      std::make_unique<Td3>(name, spec, hyperparameters, seed, std::move(*noise)));
}

}  // namespace

core::Expected<std::unique_ptr<Agent>> make_td3(const env::EnvSpec& spec,
                                                const Hyperparameters& hyperparameters,
                                                std::uint64_t seed) {
  return make_variant("td3", spec, hyperparameters, seed);
}

core::Expected<std::unique_ptr<Agent>> make_ddpg(const env::EnvSpec& spec,
                                                 const Hyperparameters& hyperparameters,
                                                 std::uint64_t seed) {
  return make_variant("ddpg", spec, hyperparameters, seed);
}

}  // namespace tars::rl
