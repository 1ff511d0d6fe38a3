// What PPO and A2C share around their update: the actor-critic policy, acting, hyperparameter
// changes, the learn loop (collect a rollout, update, report) and the training state. An
// algorithm supplies its Config (with n_envs, n_steps, gamma, gae_lambda and a static
// from(Hyperparameters)), its update() and its optimizer's state fields.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "tars/nn/schedule.h"
#include "tars/rl/actor_critic.h"
#include "tars/rl/agent.h"
#include "tars/rl/rollout_collector.h"
#include "tars/rl/training_state.h"

namespace tars::rl {

template <typename Config>
class OnPolicyAgent : public Agent {
 public:
  OnPolicyAgent(std::string_view name, const env::EnvSpec& spec,
                const Hyperparameters& hyperparameters, std::uint64_t seed)
      : config_(Config::from(hyperparameters)),
        rng_(seed),
        policy_(spec, hyperparameters, rng_),
        name_(name),
        spec_(spec),
        hyperparameters_(hyperparameters) {}

  std::string_view algorithm() const override { return name_; }
  const env::EnvSpec& env_spec() const override { return spec_; }
  const Hyperparameters& hyperparameters() const override { return hyperparameters_; }

  core::Status set_hyperparameters(
      const std::vector<std::pair<std::string, std::string>>& assignments) override {
    auto changed = with_live_changes(hyperparameters_, assignments);
    if (!changed.ok()) return changed.status();
    hyperparameters_ = std::move(*changed);
    config_ = Config::from(hyperparameters_);
    return {};
  }

  void act(std::span<const float> observations, int batch, bool deterministic,
           std::span<std::int64_t> discrete, std::span<float> continuous) override {
    policy_.act(observations, batch, deterministic, rng_, discrete, continuous);
  }

  core::Status learn(env::VectorEnv& envs, std::int64_t total_steps,
                     const ProgressCallback& progress) override {
    if (envs.num_envs() != config_.n_envs) {
      return core::invalid_argument(
          fmt::format("{} was configured for n_envs={}, got a VectorEnv "
                      "of {}",
                      name_, config_.n_envs, envs.num_envs()));
    }
    if (core::Status status = prepare_collector(); !status.ok()) return status;
    collector_->begin_episodes();
    // Schedules run over every step so far plus this call's (see Agent::learn).
    const std::int64_t end = collector_->steps() + total_steps;
    while (collector_->steps() < end) {
      if (core::Status status = collector_->collect(policy_, envs, rng_); !status.ok()) {
        return status;
      }
      update(collector_->buffer(), nn::progress_remaining(static_cast<double>(collector_->steps()),
                                                          static_cast<double>(end)));
      progress_.steps = collector_->steps();
      progress_.episodes = collector_->episodes();
      progress_.recent_return_mean = collector_->recent_return_mean();
      if (progress) progress(progress_);
    }
    return {};
  }

  core::Status explore(std::span<const float> observation, std::int64_t& discrete,
                       std::span<float> continuous) override {
    policy_.act(observation, 1, /*deterministic=*/false, rng_, std::span(&discrete, 1), continuous);
    return {};
  }

  // log π(a | s) of each candidate.
  core::Status score_actions(std::span<const float> observation,
                             std::span<const std::int64_t> discrete,
                             std::span<const float> continuous, std::span<double> scores) override {
    candidate_log_probs_.resize(scores.size());
    policy_.log_probs(observation, discrete, continuous, candidate_log_probs_);
    std::copy(candidate_log_probs_.begin(), candidate_log_probs_.end(), scores.begin());
    return {};
  }

  // Collects n_steps executed transitions, then updates as learn() does after a rollout.
  core::Status observe(const Transition& transition) override {
    if (core::Status status = prepare_collector(); !status.ok()) return status;
    if (core::Status status = collector_->add(policy_, transition); !status.ok()) return status;
    if (collector_->buffer().full()) update(collector_->buffer(), 1.0);
    progress_.steps = collector_->steps();
    progress_.episodes = collector_->episodes();
    progress_.recent_return_mean = collector_->recent_return_mean();
    return {};
  }

  const LearnProgress& progress() const override { return progress_; }

  std::uint64_t memory_bytes() const override {
    const std::uint64_t rollout =
        collector_ ? RolloutBuffer::storage_bytes(collector_->buffer().options()) : 0;
    return tensor_bytes(policy_.tensors()) + optimizer_state_bytes() + rollout;
  }

  std::vector<nn::StoredTensor> tensors() const override { return policy_.tensors(); }
  core::Status load_tensors(const std::vector<nn::StoredTensor>& tensors) override {
    return policy_.load_tensors(tensors);
  }

  TrainingState training_state() const override {
    StateWriter out;
    state_fields(*this, out);
    if (collector_) {
      StateWriter collector = out.scope("collector");
      RolloutCollector::state_fields(*collector_, collector);
    }
    return out.finish();
  }

  core::Status load_training_state(const TrainingState& state) override {
    StateReader in(state);
    state_fields(*this, in);
    // A collector made here replaces collector_ only once the whole state is valid.
    std::optional<RolloutCollector> made;
    const bool has_collector = in.has("collector");
    if (has_collector) {
      if (!collector_) {
        auto collector = make_collector();
        if (!collector.ok()) return collector.status();
        made.emplace(std::move(*collector));
      }
      StateReader collector = in.scope("collector");
      RolloutCollector::state_fields(made ? *made : *collector_, collector);
    }
    if (core::Status status = in.apply(); !status.ok()) return status;
    if (made) {
      collector_ = std::move(made);
    } else if (!has_collector) {
      collector_.reset();
    }
    return {};
  }

 protected:
  // Learns from the collected rollout and fills progress_.metrics.
  virtual void update(RolloutBuffer& buffer, double progress_remaining) = 0;
  // Gradients and optimizer state (see optimizer_bytes()).
  virtual std::uint64_t optimizer_state_bytes() const = 0;
  // The optimizer's part of the training state (StateWriter::optimizer / StateReader::optimizer).
  virtual void optimizer_fields(StateWriter& out) const = 0;
  virtual void optimizer_fields(StateReader& in) = 0;

  Config config_;
  core::Generator rng_;
  ActorCritic policy_;
  LearnProgress progress_;

 private:
  template <typename Self, typename Archive>
  static void state_fields(Self& self, Archive& archive) {
    archive.generator("rng", self.rng_);
    archive.progress("progress", self.progress_);
    self.optimizer_fields(archive);
  }

  core::Expected<RolloutCollector> make_collector() const {
    return RolloutCollector::make(policy_, config_.n_envs, config_.n_steps, config_.gamma,
                                  config_.gae_lambda);
  }
  // Makes the collector on first use; warm changes (n_steps, γ, λ) apply when no rollout is in
  // progress (the buffer is empty or full).
  core::Status prepare_collector() {
    if (!collector_) {
      auto collector = make_collector();
      if (!collector.ok()) return collector.status();
      collector_.emplace(std::move(*collector));
      return {};
    }
    const RolloutBuffer& buffer = collector_->buffer();
    if (buffer.steps() != 0 && !buffer.full()) return {};
    return collector_->reconfigure(policy_, config_.n_steps, config_.gamma, config_.gae_lambda);
  }

  std::string_view name_;
  env::EnvSpec spec_;
  Hyperparameters hyperparameters_;
  std::optional<RolloutCollector> collector_;
  std::vector<float> candidate_log_probs_;
};

}  // namespace tars::rl
