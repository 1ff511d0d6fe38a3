// What the evaluator runs: a frozen policy acting on batches of observations. Built-in controllers
// (builtin_policies.h) and trained agents (agent_policy.h) implement it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tars/env/env.h"
#include "tars/store/records.h"

namespace tars::eval {

class Policy {
 public:
  virtual ~Policy() = default;

  // The environment the policy was built for; the evaluator refuses environments whose
  // observation or action space has another shape.
  virtual const env::EnvSpec& env_spec() const = 0;

  // Called when batch row `row` starts the episode reset with `episode_seed`, before act() sees
  // that episode. Policies with randomness of their own reseed the row from it, so that an
  // episode's actions depend neither on the row nor on how many rows there are.
  virtual void begin_episode(int row, std::uint64_t episode_seed);

  // Actions for `batch` observations laid out as VectorEnv does ([batch x obs], row-major), as
  // rl::Agent::act: Discrete spaces fill `discrete` (batch entries), Box spaces fill
  // `continuous` ([batch x action_size]) within the action bounds.
  virtual void act(std::span<const float> observations, int batch, store::PolicyMode mode,
                   std::span<std::int64_t> discrete, std::span<float> continuous) = 0;

  // "random", "heuristic" or the algorithm name ("ppo", "dqn", ...).
  virtual std::string agent_type() const = 0;
  // SHA-256 of the evaluated model; empty for built-ins.
  virtual std::string checkpoint_hash() const;
  // The hyperparameters as a JSON object; "{}" for built-ins.
  virtual std::string hyperparameters_json() const;
  // Training losses the policy reported, oldest first; empty when it reports none.
  virtual std::vector<double> recent_losses() const;
};

}  // namespace tars::eval
