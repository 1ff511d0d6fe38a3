#include "tars/env/env.h"

#include <utility>

namespace tars::env {

Env::Env(EnvSpec spec)
    : spec_(std::move(spec)), observation_(spec_.observation_space.flat_size(), 0.0f) {}

core::Expected<std::span<const float>> Env::reset(std::optional<std::uint64_t> seed,
                                                  const ResetOptions& options) {
  if (seed) {
    np_random_.emplace(*seed);
  } else if (!np_random_) {
    np_random_.emplace(core::Generator::from_entropy());
  }
  if (core::Status status = reset_state(options); !status.ok()) return status;
  elapsed_steps_ = 0;
  needs_reset_ = false;
  return observation();
}

core::Status Env::check_can_step() const {
  if (!np_random_) return core::failed_precondition(spec_.id + ": step() called before reset()");
  return core::failed_precondition(spec_.id +
                                   ": step() called after the episode ended; call reset() first");
}

// The checks run on every step, so the happy path only tests flags; errors are built on failure.
core::Expected<StepResult> Env::step(std::int64_t action) {
  if (needs_reset_) return check_can_step();
  if (!spec_.action_space.contains(action)) return action_error(action);
  return finish_step(step_discrete(action));
}

core::Expected<StepResult> Env::step(std::span<const float> action) {
  if (needs_reset_) return check_can_step();
  if (!spec_.action_space.contains(action)) return action_error(action);
  return finish_step(step_continuous(action));
}

template <typename Action>
core::Status Env::action_error(const Action& action) const {
  return core::invalid_argument(spec_.id + ": " + spec_.action_space.check(action).message());
}

core::Expected<StepResult> Env::finish_step(StepResult result) {
  ++elapsed_steps_;
  if (spec_.max_episode_steps > 0 && elapsed_steps_ >= spec_.max_episode_steps) {
    result.truncated = true;
  }
  needs_reset_ = result.terminated || result.truncated;
  return result;
}

// Only reachable when the action space kind does not match the env's override, which
// Space::check already rejects; kept as a loud failure rather than undefined behaviour.
StepResult Env::step_discrete(std::int64_t) {
  throw std::logic_error(spec_.id + " does not implement discrete steps");
}

StepResult Env::step_continuous(std::span<const float>) {
  throw std::logic_error(spec_.id + " does not implement continuous steps");
}

}  // namespace tars::env
