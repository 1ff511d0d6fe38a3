// DQN, readable top to bottom (its config is in dqn_config.h): replay memory → Q-network (plain
// or dueling) → learn (act ε-greedily → store → update the target network → train) → train (TD
// targets, Huber loss, Adam step, new priorities).
#include "tars/rl/dqn.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <utility>

#include "tars/nn/adam.h"
#include "tars/nn/grad_clip.h"
#include "tars/nn/loss.h"
#include "tars/nn/mlp.h"
#include "tars/rl/dqn_config.h"
#include "tars/rl/network_tensors.h"
#include "tars/rl/replay_memory.h"
#include "tars/rl/rolling_mean.h"
#include "tars/rl/training_state.h"

namespace tars::rl {

namespace {

using Matrix = nn::Matrix<float>;
using ConstMap = nn::ConstMatrixMap<float>;
using MatrixMap = nn::MatrixMap<float>;

constexpr std::size_t kRecentEpisodes = 100;  // episodes behind recent_return_mean

std::vector<nn::Index> hidden_sizes(const std::string& net_arch) {
  if (net_arch == "tiny") return {64};
  if (net_arch == "medium") return {256, 256};
  return {64, 64};
}

// SB3's get_linear_fn: ε goes linearly from the initial to the final value over the first
// exploration_fraction of training and stays there (a fraction of 0 starts at the final value).
double exploration_schedule(const DqnConfig& c, double progress_remaining) {
  const double elapsed = 1.0 - progress_remaining;
  if (elapsed >= c.exploration_fraction) return c.exploration_final_eps;
  return c.exploration_initial_eps +
         elapsed * (c.exploration_final_eps - c.exploration_initial_eps) / c.exploration_fraction;
}

ReplayMemoryOptions replay_options(const DqnConfig& c, std::size_t observation_size) {
  return {.buffer = {.capacity = static_cast<std::size_t>(c.buffer_size),
                     .observation_size = observation_size,
                     .discrete_actions = true,
                     .action_size = 1},
          .prioritized = c.prioritized_replay,
          .priorities = {.alpha = c.prioritized_replay_alpha,
                         .beta0 = c.prioritized_replay_beta0,
                         .epsilon = c.prioritized_replay_eps}};
}

// Q(s, ·) (n_actions x batch) from the network's output. Plain DQN: the output itself. Dueling
// (Wang et al. 2016, eq. 9): the last layer has 1 + n_actions outputs, row 0 the value stream
// V(s) and rows 1.. the advantage stream A(s, ·), both on the shared hidden layers, and
// Q(s, a) = V(s) + A(s, a) − mean_a' A(s, a'). `scratch` holds the dueling result.
ConstMap q_values(const ConstMap& output, bool dueling, nn::Workspace<float>& scratch) {
  if (!dueling) return output;
  const nn::Index n = output.rows() - 1;
  MatrixMap q = scratch.resize(n, output.cols());
  for (nn::Index j = 0; j < output.cols(); ++j) {
    const float shift = output(0, j) - output.col(j).tail(n).mean();
    q.col(j) = (output.col(j).tail(n).array() + shift).matrix();
  }
  return scratch.const_view();
}

// dL/d(output) from dL/dQ through the dueling combination: dV = Σ_a dQ_a and
// dA_a = dQ_a − mean_a' dQ_a'.
void dueling_backward(const Matrix& grad_q, Matrix& grad_output) {
  const nn::Index n = grad_q.rows();
  for (nn::Index j = 0; j < grad_q.cols(); ++j) {
    const float sum = grad_q.col(j).sum();
    grad_output(0, j) = sum;
    grad_output.col(j).tail(n) = (grad_q.col(j).array() - sum / static_cast<float>(n)).matrix();
  }
}

// Index of the largest entry, the first on ties (as torch.argmax).
template <typename Column>
std::int64_t argmax(const Column& column) {
  nn::Index best = 0;
  for (nn::Index a = 1; a < column.size(); ++a) {
    if (column(a) > column(best)) best = a;
  }
  return best;
}

class Dqn final : public Agent {
 public:
  Dqn(const env::EnvSpec& spec, const Hyperparameters& hyperparameters, std::uint64_t seed,
      ReplayMemory replay)
      : spec_(spec),
        hyperparameters_(hyperparameters),
        config_(DqnConfig::from(hyperparameters)),
        rng_(seed),
        obs_dim_(static_cast<nn::Index>(spec.observation_space.flat_size())),
        n_actions_(spec.action_space.n()),
        q_net_(layer_sizes(), activation(), nn::Activation::kIdentity, rng_),
        q_net_target_(q_net_),
        optimizer_(q_net_.parameters("q_net."),
                   nn::AdamOptions{.lr = config_.learning_rate.value(1.0)}),
        replay_(std::move(replay)),
        exploration_rate_(config_.exploration_initial_eps),
        recent_returns_(kRecentEpisodes) {
    // Training scratch for the fixed batch size, allocated once.
    const nn::Index b = config_.batch_size;
    targets_.setZero(1, b);
    chosen_q_.setZero(1, b);
    chosen_grad_.setZero(1, b);
    grad_q_.setZero(n_actions_, b);
    grad_output_.setZero(q_net_.out_features(), b);
    td_errors_.assign(static_cast<std::size_t>(b), 0.0f);
    // Metric slots are created here and updated through pointers: no allocation while learning.
    loss_metric_ = &progress_.metrics["loss"];
    exploration_metric_ = &progress_.metrics["exploration_rate"];
    learning_rate_metric_ = &progress_.metrics["learning_rate"];
    updates_metric_ = &progress_.metrics["n_updates"];
  }
  // The optimizer and the metric pointers point into this object.
  Dqn(const Dqn&) = delete;
  Dqn& operator=(const Dqn&) = delete;

  std::string_view algorithm() const override { return "dqn"; }
  const env::EnvSpec& env_spec() const override { return spec_; }
  const Hyperparameters& hyperparameters() const override { return hyperparameters_; }

  // Hot and warm values are read from config_ at every step and update, so they apply at once.
  core::Status set_hyperparameters(
      const std::vector<std::pair<std::string, std::string>>& assignments) override {
    auto changed = with_live_changes(hyperparameters_, assignments);
    if (!changed.ok()) return changed.status();
    hyperparameters_ = std::move(*changed);
    config_ = DqnConfig::from(hyperparameters_);
    return {};
  }

  // Greedy when deterministic; otherwise ε-greedy with the current exploration rate.
  void act(std::span<const float> observations, int batch, bool deterministic,
           std::span<std::int64_t> discrete, std::span<float> /*continuous*/) override {
    select_actions(observations.first(static_cast<std::size_t>(obs_dim_) * batch),
                   deterministic ? 0.0 : exploration_rate_, discrete.first(batch));
  }

  // The replay memory and the step counters (learning_starts, target updates) carry over, and
  // the schedules (ε, learning rate, PER β) continue (see Agent::learn).
  core::Status learn(env::VectorEnv& envs, std::int64_t total_steps,
                     const ProgressCallback& progress) override;

  core::Status explore(std::span<const float> observation, std::int64_t& discrete,
                       std::span<float> /*continuous*/) override {
    const bool warm_up = steps_ < config_.learning_starts;
    select_actions(observation.first(static_cast<std::size_t>(obs_dim_)),
                   warm_up ? 1.0 : exploration_rate_, std::span(&discrete, 1));
    return {};
  }

  // Q(s, a) of each candidate.
  core::Status score_actions(std::span<const float> observation,
                             std::span<const std::int64_t> discrete,
                             std::span<const float> /*continuous*/,
                             std::span<double> scores) override {
    const ConstMap q = q_values(q_net_.predict(ConstMap(observation.data(), obs_dim_, 1)),
                                config_.dueling, act_q_);
    for (std::size_t i = 0; i < discrete.size(); ++i) scores[i] = q(discrete[i], 0);
    return {};
  }

  core::Status observe(const Transition& transition) override;

  void end_episode() override {
    exploration_rate_ =
        std::max(config_.exploration_final_eps, exploration_rate_ * config_.exploration_decay);
    *exploration_metric_ = exploration_rate_;
  }

  const LearnProgress& progress() const override { return progress_; }

  std::uint64_t memory_bytes() const override {
    return tensor_bytes(tensors()) + optimizer_bytes(optimizer_) + replay_.bytes();
  }

  // The online and the target network (a resumed run continues with both).
  std::vector<nn::StoredTensor> tensors() const override {
    std::vector<nn::StoredTensor> out = mlp_tensors("q_net.", q_net_);
    append_tensors(out, mlp_tensors("q_net_target.", q_net_target_));
    return out;
  }

  core::Status load_tensors(const std::vector<nn::StoredTensor>& tensors) override {
    ShapeMap expected = mlp_shapes("q_net.", q_net_);
    merge_shapes(expected, mlp_shapes("q_net_target.", q_net_target_));
    if (core::Status status = check_shapes(tensors, expected); !status.ok()) return status;
    for (const nn::StoredTensor& tensor : tensors) {
      if (tensor.dtype() != nn::DType::kF32) {
        return core::invalid_argument(fmt::format("tensor '{}' is {}, expected F32", tensor.name,
                                                  nn::dtype_name(tensor.dtype())));
      }
    }
    load_mlp("q_net.", q_net_, tensors);
    load_mlp("q_net_target.", q_net_target_, tensors);
    return {};
  }

  TrainingState training_state() const override {
    return write_training_state([this](StateWriter& out) { state_fields(*this, out); });
  }
  core::Status load_training_state(const TrainingState& state) override {
    return read_training_state(state, [this](StateReader& in) { state_fields(*this, in); });
  }
  std::optional<nn::SafetensorsFile> replay_buffer() const override { return replay_.save(); }
  core::Status load_replay_buffer(const nn::SafetensorsFile& file) override {
    return replay_.load(file);
  }

 private:
  template <typename Self, typename Archive>
  static void state_fields(Self& self, Archive& archive) {
    archive.generator("rng", self.rng_);
    archive.progress("progress", self.progress_);
    archive.integer("steps", self.steps_);
    archive.integer("episodes", self.episodes_);
    archive.integer("n_calls", self.n_calls_);
    archive.integer("n_updates", self.n_updates_);
    archive.number("exploration_rate", self.exploration_rate_);
    archive.number("online_return", self.online_return_);
    archive.window("recent_returns", self.recent_returns_);
    archive.optimizer("optimizer", self.optimizer_);
  }

  std::vector<nn::Index> layer_sizes() const {
    std::vector<nn::Index> sizes = {obs_dim_};
    for (nn::Index h : hidden_sizes(hyperparameters_.choice("net_arch"))) sizes.push_back(h);
    sizes.push_back(config_.dueling ? 1 + n_actions_ : n_actions_);  // dueling: V and A rows
    return sizes;
  }
  nn::Activation activation() const {
    return hyperparameters_.choice("activation_fn") == "relu" ? nn::Activation::kReLU
                                                              : nn::Activation::kTanh;
  }

  void select_actions(std::span<const float> observations, double epsilon,
                      std::span<std::int64_t> actions);
  // θ⁻ ← τθ + (1−τ)θ⁻; τ = 1 is DQN's hard copy.
  void update_target() {
    if (config_.tau >= 1.0) {
      q_net_target_.copy_from(q_net_);
    } else {
      q_net_target_.polyak(q_net_, static_cast<float>(config_.tau));
    }
  }
  // `gradient_steps` minibatch updates of the online network (SB3's DQN.train); the learning
  // rate at `progress_remaining`, PER's β at `replay_elapsed` (0 → 1).
  core::Status train(std::int64_t gradient_steps, double progress_remaining, double replay_elapsed);
  // Everything learn() and observe() report but the losses.
  void update_progress() {
    progress_.steps = steps_;
    progress_.episodes = episodes_;
    progress_.recent_return_mean = recent_returns_.mean();
    *exploration_metric_ = exploration_rate_;
    *learning_rate_metric_ = optimizer_.lr();
    *updates_metric_ = static_cast<double>(n_updates_);
  }
  void record_episodes(const env::VectorEnv& envs);

  env::EnvSpec spec_;
  Hyperparameters hyperparameters_;
  DqnConfig config_;
  core::Generator rng_;
  nn::Index obs_dim_;
  nn::Index n_actions_;
  nn::Mlp<float> q_net_;         // Q(s, ·; θ), or V and A rows for the dueling head
  nn::Mlp<float> q_net_target_;  // Q(s, ·; θ⁻)
  nn::Adam<float> optimizer_;
  ReplayMemory replay_;
  double exploration_rate_;  // ε now (SB3's exploration_rate)

  // Counters carried across learn() calls.
  std::int64_t steps_ = 0;      // env steps (all copies)
  std::int64_t n_calls_ = 0;    // VectorEnv steps, for the target update (SB3's _n_calls)
  std::int64_t n_updates_ = 0;  // gradient steps
  std::int64_t episodes_ = 0;
  std::vector<double> episode_returns_;
  double online_return_ = 0.0;  // return of the online episode so far
  RollingMean recent_returns_;  // of the last kRecentEpisodes episodes
  LearnProgress progress_;
  double* loss_metric_ = nullptr;
  double* exploration_metric_ = nullptr;
  double* learning_rate_metric_ = nullptr;
  double* updates_metric_ = nullptr;

  // Scratch, sized once.
  std::vector<float> step_observations_;  // obs_dim x n_envs: the observations acted on
  std::vector<std::int64_t> step_actions_;
  ReplayBatch batch_;
  nn::Workspace<float> act_q_;          // dueling Q for acting
  nn::Workspace<float> next_q_target_;  // dueling Q⁻(s', ·)
  nn::Workspace<float> next_q_online_;  // dueling Q(s', ·) (double DQN)
  nn::Workspace<float> q_;              // dueling Q(s, ·)
  Matrix targets_;                      // 1 x B: TD targets y
  Matrix chosen_q_;                     // 1 x B: Q(s, a) of the stored actions
  Matrix chosen_grad_;                  // 1 x B: dL/dQ(s, a)
  Matrix grad_q_;                       // n_actions x B: dL/dQ(s, ·)
  Matrix grad_output_;                  // (1 + n_actions) x B: dL/d(output) for the dueling head
  std::vector<float> td_errors_;
};

// ε-greedy: with probability ε a uniformly random action, otherwise argmax_a Q(s, a). Each copy
// draws on its own (SB3 draws once for the whole VectorEnv; per copy keeps copies independent).
void Dqn::select_actions(std::span<const float> observations, double epsilon,
                         std::span<std::int64_t> actions) {
  constexpr std::int64_t kGreedy = -1;
  bool any_greedy = false;
  for (std::int64_t& action : actions) {
    const bool explore = epsilon >= 1.0 || (epsilon > 0.0 && rng_.random() < epsilon);
    action = explore ? rng_.integers(0, n_actions_) : kGreedy;
    any_greedy = any_greedy || !explore;
  }
  if (!any_greedy) return;
  const auto batch = static_cast<nn::Index>(actions.size());
  const ConstMap q = q_values(q_net_.predict(ConstMap(observations.data(), obs_dim_, batch)),
                              config_.dueling, act_q_);
  for (nn::Index i = 0; i < batch; ++i) {
    if (actions[i] == kGreedy) actions[i] = argmax(q.col(i));
  }
}

core::Status Dqn::learn(env::VectorEnv& envs, std::int64_t total_steps,
                        const ProgressCallback& progress) {
  if (envs.num_envs() != config_.n_envs) {
    return core::invalid_argument(
        fmt::format("DQN was configured for n_envs={}, got a VectorEnv of {}", config_.n_envs,
                    envs.num_envs()));
  }
  if (envs.observation_size() != static_cast<std::size_t>(obs_dim_)) {
    return core::invalid_argument(fmt::format("DQN expects observations of {} floats, got {}",
                                              obs_dim_, envs.observation_size()));
  }
  if (envs.autoreset_mode() != env::AutoresetMode::kSameStep) {
    return core::invalid_argument("DQN needs a VectorEnv in same-step autoreset mode");
  }
  const int n = config_.n_envs;
  step_observations_.resize(static_cast<std::size_t>(obs_dim_) * n);
  step_actions_.resize(n);
  episode_returns_.assign(n, 0.0);

  // Schedules run over every step so far plus this call's (see Agent::learn).
  const std::int64_t end = steps_ + total_steps;
  const auto remaining = [&] {
    return nn::progress_remaining(static_cast<double>(steps_), static_cast<double>(end));
  };
  exploration_rate_ = exploration_schedule(config_, remaining());
  while (steps_ < end) {
    // Collect train_freq steps of every copy (SB3's collect_rollouts, train_freq in steps).
    for (int t = 0; t < config_.train_freq; ++t) {
      // Uniformly random actions until learning_starts steps are stored, then ε-greedy.
      const bool warm_up = steps_ < config_.learning_starts;
      const std::span<const float> observations = envs.observations();
      std::copy(observations.begin(), observations.end(), step_observations_.begin());
      select_actions(step_observations_, warm_up ? 1.0 : exploration_rate_, step_actions_);
      if (core::Status s = envs.step(std::span<const std::int64_t>(step_actions_)); !s.ok()) {
        return s;
      }
      steps_ += n;

      // Store (s, a, r, s', terminated) in D. An ended episode's s' is its final observation and
      // only termination stops bootstrapping, so time-limit truncation still bootstraps.
      if (core::Status s = replay_.add(step_observations_, step_actions_, envs); !s.ok()) return s;
      record_episodes(envs);

      // Target network every target_update_interval env steps, counted in VectorEnv steps as
      // SB3's _on_step: every max(C / n_envs, 1) calls.
      ++n_calls_;
      if (n_calls_ % std::max<std::int64_t>(config_.target_update_interval / n, 1) == 0) {
        update_target();
      }
      exploration_rate_ = exploration_schedule(config_, remaining());
    }

    // Train once more than learning_starts steps were taken (SB3: num_timesteps >
    // learning_starts); gradient_steps -1 means one update per env step just collected.
    if (steps_ > config_.learning_starts) {
      const std::int64_t gradient_steps = config_.gradient_steps >= 0
                                              ? config_.gradient_steps
                                              : static_cast<std::int64_t>(config_.train_freq) * n;
      if (gradient_steps > 0) {
        const double progress_remaining = remaining();
        if (core::Status s = train(gradient_steps, progress_remaining, 1.0 - progress_remaining);
            !s.ok()) {
          return s;
        }
      }
    }
    update_progress();
    if (progress) progress(progress_);
  }
  return {};
}

void Dqn::record_episodes(const env::VectorEnv& envs) {
  for (int i = 0; i < envs.num_envs(); ++i) {
    episode_returns_[i] += envs.rewards()[i];
    if (!envs.terminated()[i] && !envs.truncated()[i]) continue;
    recent_returns_.add(episode_returns_[i]);
    episode_returns_[i] = 0.0;
    ++episodes_;
  }
}

// Online learning: store, count the episode, update the target network and train as learn()
// does, with the learning rate at its start value and β annealed over a fixed number of steps.
core::Status Dqn::observe(const Transition& transition) {
  if (core::Status s = replay_.add(transition); !s.ok()) return s;
  ++steps_;
  ++n_calls_;
  online_return_ += transition.reward;
  if (transition.terminated || transition.truncated) {
    recent_returns_.add(online_return_);
    online_return_ = 0.0;
    ++episodes_;
  }
  if (n_calls_ % config_.target_update_interval == 0) update_target();
  if (steps_ > config_.learning_starts && steps_ % config_.train_freq == 0) {
    const std::int64_t gradient_steps =
        config_.gradient_steps >= 0 ? config_.gradient_steps : config_.train_freq;
    const double elapsed =
        std::min(1.0, static_cast<double>(steps_) /
                          static_cast<double>(config_.prioritized_replay_beta_steps));
    if (gradient_steps > 0) {
      if (core::Status s = train(gradient_steps, 1.0, elapsed); !s.ok()) return s;
    }
  }
  update_progress();
  return {};
}

core::Status Dqn::train(std::int64_t gradient_steps, double progress_remaining,
                        double replay_elapsed) {
  optimizer_.set_lr(config_.learning_rate.value(progress_remaining));
  const nn::Index b = config_.batch_size;
  const auto gamma = static_cast<float>(config_.gamma);
  const bool dueling = config_.dueling;
  double loss_sum = 0.0;
  for (std::int64_t step = 0; step < gradient_steps; ++step) {
    // A minibatch of transitions from D (uniformly, or by priority with importance weights).
    if (core::Status s = replay_.sample(static_cast<std::size_t>(b), replay_elapsed, rng_, batch_);
        !s.ok()) {
      return s;
    }
    const ConstMap obs(batch_.observations.data(), obs_dim_, b);
    const ConstMap next_obs(batch_.next_observations.data(), obs_dim_, b);

    // TD target y = r + γ (1 − terminated) Q(s', a'; θ⁻) with a' = argmax_a Q(s', a; θ⁻), or for
    // double DQN a' = argmax_a Q(s', a; θ): the online network picks, the target network values.
    const ConstMap next_q = q_values(q_net_target_.predict(next_obs), dueling, next_q_target_);
    const ConstMap next_q_pick =
        config_.double_q ? q_values(q_net_.predict(next_obs), dueling, next_q_online_) : next_q;
    for (nn::Index i = 0; i < b; ++i) {
      const std::int64_t best = argmax(next_q_pick.col(i));
      targets_(0, i) = batch_.rewards[i] + gamma * (1.0f - batch_.terminated[i]) * next_q(best, i);
    }

    // Q(s, a; θ) of the stored actions and the Huber loss (SB3's smooth_l1_loss), weighted by
    // the importance-sampling weights under prioritized replay.
    const ConstMap q = q_values(q_net_.forward(obs), dueling, q_);
    for (nn::Index i = 0; i < b; ++i) chosen_q_(0, i) = q(batch_.discrete_actions[i], i);
    const std::span<const float> weights =
        replay_.prioritized() ? std::span<const float>(batch_.weights) : std::span<const float>();
    loss_sum += nn::huber_loss<float>(chosen_q_, targets_, chosen_grad_, weights);

    // dL/dQ is zero but at the stored actions; backward, clip the global norm, Adam step.
    grad_q_.setZero();
    for (nn::Index i = 0; i < b; ++i) grad_q_(batch_.discrete_actions[i], i) = chosen_grad_(0, i);
    optimizer_.zero_grad();
    if (dueling) {
      dueling_backward(grad_q_, grad_output_);
      q_net_.backward_parameters(grad_output_);
    } else {
      q_net_.backward_parameters(grad_q_);
    }
    nn::clip_grad_norm(optimizer_.parameters(), static_cast<float>(config_.max_grad_norm));
    optimizer_.step();

    // Prioritized replay: p_i = |δ_i| + ε from this step's TD errors δ = Q(s, a) − y.
    if (replay_.prioritized()) {
      for (nn::Index i = 0; i < b; ++i) td_errors_[i] = chosen_q_(0, i) - targets_(0, i);
      if (core::Status s = replay_.update_priorities(batch_.indices, td_errors_); !s.ok()) {
        return s;
      }
    }
  }
  n_updates_ += gradient_steps;
  *loss_metric_ = loss_sum / static_cast<double>(gradient_steps);
  return {};
}

}  // namespace

core::Expected<std::unique_ptr<Agent>> make_dqn(const env::EnvSpec& spec,
                                                const Hyperparameters& hyperparameters,
                                                std::uint64_t seed) {
  if (!spec.action_space.is_discrete()) {
    return core::invalid_argument(fmt::format("dqn supports Discrete action spaces only; {} has {}",
                                              spec.id, spec.action_space.describe()));
  }
  auto replay = ReplayMemory::make(
      replay_options(DqnConfig::from(hyperparameters), spec.observation_space.flat_size()));
  if (!replay.ok()) return replay.status();
  return std::unique_ptr<Agent>(
      std::make_unique<Dqn>(spec, hyperparameters, seed, std::move(*replay)));
}

}  // namespace tars::rl
