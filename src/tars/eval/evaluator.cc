#include "tars/eval/evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "tars/env/registry.h"

namespace tars::eval {
namespace {

using Clock = std::chrono::steady_clock;

// Environments Gymnasium registers without a reward threshold, with the one T.A.R.S. uses.
struct DefaultThreshold {
  std::string_view env_id;
  double threshold;
};
constexpr DefaultThreshold kDefaultThresholds[] = {{"Pendulum-v1", kPendulumSuccessThreshold}};

core::Status check_options(const EvaluatorOptions& options) {
  if (options.episodes < 1) {
    return core::invalid_argument(
        fmt::format("episodes must be positive, got {}", options.episodes));
  }
  if (options.num_envs < 0) {
    return core::invalid_argument(
        fmt::format("num_envs must be 0 (automatic) or positive, got {}", options.num_envs));
  }
  if (options.budget.count() < 0) {
    return core::invalid_argument(
        fmt::format("budget must be 0 (none) or positive, got {} s", options.budget.count()));
  }
  return {};
}

std::string describe_spaces(const env::EnvSpec& spec) {
  return fmt::format("{} (observations {}, actions {})", spec.id,
                     spec.observation_space.shape_text(), spec.action_space.shape_text());
}

core::Status check_compatible(const env::EnvSpec& policy_spec, const env::EnvSpec& env_spec) {
  const env::Space& policy_actions = policy_spec.action_space;
  const env::Space& env_actions = env_spec.action_space;
  const bool same_actions =
      policy_actions.is_discrete() == env_actions.is_discrete() &&
      (policy_actions.is_discrete() ? policy_actions.n() == env_actions.n()
                                    : policy_actions.flat_size() == env_actions.flat_size());
  if (same_actions &&
      policy_spec.observation_space.flat_size() == env_spec.observation_space.flat_size()) {
    return {};
  }
  return core::invalid_argument(fmt::format("the policy was built for {}, not for {}",
                                            describe_spaces(policy_spec),
                                            describe_spaces(env_spec)));
}

// The episode a copy is running.
struct Slot {
  int episode = -1;  // -1: idle, no episodes left to start
  double total_reward = 0.0;
  std::int64_t steps = 0;
};

// One evaluation: the copies step in lockstep, each runs episodes one after another, taking the
// next unstarted episode number when its episode ends.
class Run {
 public:
  Run(Policy& policy, const EvaluatorOptions& options, double threshold,
      std::vector<std::unique_ptr<env::Env>> envs, ActionHistogram actions)
      : policy_(policy),
        options_(options),
        threshold_(threshold),
        envs_(std::move(envs)),
        slots_(envs_.size()),
        observation_size_(envs_.front()->spec().observation_space.flat_size()),
        action_size_(envs_.front()->spec().action_space.flat_size()),
        observations_(envs_.size() * observation_size_),
        discrete_(envs_.size()),
        continuous_(envs_.size() * action_size_),
        records_(static_cast<std::size_t>(options.episodes)),
        actions_(std::move(actions)) {}

  core::Status execute(Clock::time_point start) {
    for (int row = 0; row < rows(); ++row) {
      if (core::Status status = start_episode(row); !status.ok()) return status;
    }
    while (active_ > 0) {
      if (core::Status status = check_interrupted(start); !status.ok()) return status;
      // Idle rows keep their last observation; their actions are ignored.
      policy_.act(observations_, rows(), options_.mode, discrete_, continuous_);
      for (int row = 0; row < rows(); ++row) {
        if (slots_[row].episode < 0) continue;
        if (core::Status status = step_row(row); !status.ok()) return status;
      }
    }
    return {};
  }

  std::vector<store::EpisodeRecord>& records() { return records_; }
  ActionHistogram& actions() { return actions_; }

 private:
  int rows() const { return static_cast<int>(envs_.size()); }
  std::uint64_t episode_seed(int episode) const {
    return options_.seed + static_cast<std::uint64_t>(episode);
  }

  core::Status start_episode(int row) {
    Slot& slot = slots_[row];
    if (next_episode_ == options_.episodes) {
      if (slot.episode >= 0) --active_;
      slot.episode = -1;
      return {};
    }
    if (slot.episode < 0) ++active_;
    slot = Slot{.episode = next_episode_++};
    const std::uint64_t seed = episode_seed(slot.episode);
    auto observation = envs_[row]->reset(seed);
    if (!observation.ok()) return observation.status();
    policy_.begin_episode(row, seed);
    std::copy(observation->begin(), observation->end(), row_observation(row));
    return {};
  }

  core::Status step_row(int row) {
    env::Env& env = *envs_[row];
    Slot& slot = slots_[row];
    const bool discrete = env.spec().action_space.is_discrete();
    const std::span<const float> action(continuous_.data() + row_offset(row, action_size_),
                                        action_size_);
    if (discrete) {
      actions_.add(discrete_[row]);
    } else {
      actions_.add(action);
    }
    auto result = discrete ? env.step(discrete_[row]) : env.step(action);
    if (!result.ok()) {
      return core::Status(
          result.status().code(),
          fmt::format("episode {} (seed {}), step {}: {}", slot.episode, episode_seed(slot.episode),
                      slot.steps, result.status().message()));
    }
    slot.total_reward += result->reward;
    ++slot.steps;
    std::copy(env.observation().begin(), env.observation().end(), row_observation(row));
    if (!result->terminated && !result->truncated) return {};
    finish_episode(slot);
    return start_episode(row);
  }

  void finish_episode(const Slot& slot) {
    store::EpisodeRecord& record = records_[static_cast<std::size_t>(slot.episode)];
    record.episode_num = slot.episode;
    record.seed = episode_seed(slot.episode);
    record.total_reward = slot.total_reward;
    record.steps = slot.steps;
    record.success = slot.total_reward >= threshold_;
    ++finished_;
    if (options_.on_episode) options_.on_episode(record, finished_);
  }

  core::Status check_interrupted(Clock::time_point start) const {
    if (options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed)) {
      return core::failed_precondition(fmt::format(
          "evaluation cancelled with {} of {} episodes finished", finished_, options_.episodes));
    }
    if (options_.budget.count() > 0 && Clock::now() - start > options_.budget) {
      return core::out_of_range(
          fmt::format("evaluation exceeded its wall-clock budget of {} s with {} of {} episodes "
                      "finished",
                      options_.budget.count(), finished_, options_.episodes));
    }
    return {};
  }

  static std::size_t row_offset(int row, std::size_t row_size) {
    return static_cast<std::size_t>(row) * row_size;
  }
  float* row_observation(int row) {
    return observations_.data() + row_offset(row, observation_size_);
  }

  Policy& policy_;
  const EvaluatorOptions& options_;
  double threshold_;
  std::vector<std::unique_ptr<env::Env>> envs_;
  std::vector<Slot> slots_;  // per copy
  std::size_t observation_size_;
  std::size_t action_size_;
  std::vector<float> observations_;            // [copies x observation_size], what act() sees
  std::vector<std::int64_t> discrete_;         // act() output for Discrete spaces
  std::vector<float> continuous_;              // act() output for Box spaces
  std::vector<store::EpisodeRecord> records_;  // indexed by episode number
  ActionHistogram actions_;
  int next_episode_ = 0;
  int active_ = 0;  // copies running an episode
  int finished_ = 0;
};

}  // namespace

core::Expected<double> success_threshold(const env::EnvSpec& spec,
                                         std::optional<double> override_threshold) {
  if (override_threshold) return *override_threshold;
  if (spec.reward_threshold) return *spec.reward_threshold;
  for (const DefaultThreshold& entry : kDefaultThresholds) {
    if (entry.env_id == spec.id) return entry.threshold;
  }
  return core::not_found(fmt::format(
      "{} has no reward threshold; give a success threshold for its episodes", spec.id));
}

core::Expected<EvaluationOutcome> evaluate(Policy& policy, std::string_view env_id,
                                           const env::Kwargs& kwargs,
                                           const EvaluatorOptions& options) {
  const Clock::time_point start = Clock::now();
  if (core::Status status = check_options(options); !status.ok()) return status;
  const int copies =
      std::min(options.episodes, options.num_envs > 0 ? options.num_envs : kDefaultEvalEnvs);
  std::vector<std::unique_ptr<env::Env>> envs;
  for (int i = 0; i < copies; ++i) {
    auto made = env::make(env_id, kwargs);
    if (!made.ok()) return made.status();
    envs.push_back(std::move(*made));
  }
  const env::EnvSpec& spec = envs.front()->spec();
  if (core::Status status = check_compatible(policy.env_spec(), spec); !status.ok()) {
    return status;
  }
  auto threshold = success_threshold(spec, options.success_threshold);
  if (!threshold.ok()) return threshold.status();
  auto actions = ActionHistogram::for_space(spec.action_space);
  if (!actions.ok()) return actions.status();

  Run run(policy, options, *threshold, std::move(envs), std::move(*actions));
  if (core::Status status = run.execute(start); !status.ok()) return status;
  EvaluationOutcome outcome;
  outcome.episodes = std::move(run.records());
  outcome.actions = std::move(run.actions());
  outcome.metrics = compute_metrics(outcome.episodes, outcome.actions, policy.recent_losses());
  outcome.success_threshold = *threshold;
  outcome.duration_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return outcome;
}

}  // namespace tars::eval
