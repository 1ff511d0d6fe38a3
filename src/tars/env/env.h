// The environment interface: Gymnasium's Env with its TimeLimit and OrderEnforcing wrappers.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/env/space.h"

namespace tars::env {

// What `gym.make(id)` knows about an environment: id, spaces and registration data.
struct EnvSpec {
  std::string id;
  Space observation_space;
  Space action_space;
  int max_episode_steps = 0;               // TimeLimit; 0 means no limit
  std::optional<double> reward_threshold;  // "solved" return, when Gymnasium registers one
};

// Result of one step; the observation is read through Env::observation().
struct StepResult {
  double reward = 0.0;
  bool terminated = false;  // the MDP reached a terminal state
  bool truncated = false;   // the time limit cut the episode
};

// `reset(options=...)`, e.g. {"low": -0.1, "high": 0.1} for classic control.
using ResetOptions = std::map<std::string, double, std::less<>>;

class Env {
 public:
  virtual ~Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  const EnvSpec& spec() const { return spec_; }

  // Gymnasium's reset: with a seed the RNG becomes `np_random(seed)`; without one it keeps its
  // state (the very first unseeded reset seeds from OS entropy). Returns the observation.
  core::Expected<std::span<const float>> reset(std::optional<std::uint64_t> seed = std::nullopt,
                                               const ResetOptions& options = {});
  // Step with a Discrete action.
  core::Expected<StepResult> step(std::int64_t action);
  // Step with a Box action (its length must be the action space's).
  core::Expected<StepResult> step(std::span<const float> action);

  // The observation after the last reset or step.
  std::span<const float> observation() const { return observation_; }
  int elapsed_steps() const { return elapsed_steps_; }
  // True before the first reset and after an episode ended: step() would be an error.
  bool needs_reset() const { return needs_reset_; }
  // Overrides the registered time limit (`gym.make(id, max_episode_steps=n)`); 0 removes it.
  void set_max_episode_steps(int steps) { spec_.max_episode_steps = steps; }

 protected:
  explicit Env(EnvSpec spec);

  // The RNG Gymnasium calls `self.np_random`.
  core::Generator& np_random() { return *np_random_; }
  std::span<float> observation_buffer() { return observation_; }

  // Draw the initial state from np_random() and write the observation. Unknown or invalid
  // options are an error naming the option.
  virtual core::Status reset_state(const ResetOptions& options) = 0;
  // Advance one step and write the observation; the action has been validated.
  virtual StepResult step_discrete(std::int64_t action);
  virtual StepResult step_continuous(std::span<const float> action);

 private:
  core::Expected<StepResult> finish_step(StepResult result);
  // Why step() may not run now (before the first reset or after the episode ended).
  core::Status check_can_step() const;
  template <typename Action>
  core::Status action_error(const Action& action) const;

  EnvSpec spec_;
  std::optional<core::Generator> np_random_;
  std::vector<float> observation_;
  int elapsed_steps_ = 0;
  bool needs_reset_ = true;
};

}  // namespace tars::env
