// Exploration noise for deterministic continuous-control policies (DDPG / TD3), as
// Stable-Baselines3's NormalActionNoise and OrnsteinUhlenbeckActionNoise, with one independent
// process per environment copy (SB3's VectorizedActionNoise). The noise lives in the actor's
// [-1, 1] action scale, as in SB3, where it is added before rescaling to the action box.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"

namespace tars::rl {

enum class ActionNoiseType {
  kNone,               // no exploration noise
  kNormal,             // ε ~ N(μ, σ²), independent at every step
  kOrnsteinUhlenbeck,  // temporally correlated: x += θ (μ − x) dt + σ √dt N(0, 1)
};

// "none", "normal", "ornstein-uhlenbeck" (RL Zoo's noise_type values); an error lists them.
core::Expected<ActionNoiseType> parse_action_noise_type(std::string_view name);
const char* action_noise_type_name(ActionNoiseType type);

struct ActionNoiseOptions {
  ActionNoiseType type = ActionNoiseType::kNone;
  int n_envs = 1;       // independent processes, one per environment copy
  int action_dim = 1;   // components per process
  double mean = 0.0;    // μ: mean (normal) or long-run mean (OU)
  double sigma = 0.1;   // σ: standard deviation (normal) or diffusion (OU); RL Zoo's noise_std
  double theta = 0.15;  // θ: OU mean-reversion rate (SB3's default)
  double dt = 1e-2;     // OU time step (SB3's default)
};

class ActionNoise {
 public:
  // Checks the options: n_envs and action_dim positive, σ >= 0, θ >= 0 and dt > 0, all finite.
  static core::Expected<ActionNoise> make(const ActionNoiseOptions& options);

  // The next noise of every copy into `noise` ([n_envs x action_dim], row-major), drawing
  // standard normals from `rng` copy by copy, component by component. kNone writes zeros and
  // draws nothing. Throws std::invalid_argument on a wrong length.
  void sample(core::Generator& rng, std::span<float> noise);

  // Starts copy `env`'s process again (its episode ended): the OU state goes back to 0, as SB3's
  // reset() without initial_noise. Normal noise has no state.
  void reset(int env);
  void reset();

  const ActionNoiseOptions& options() const { return options_; }
  // The OU state x ([n_envs x action_dim], row-major; zeros for the other types).
  std::span<const double> state() const { return state_; }
  // Sets state() (from a checkpoint). Throws std::invalid_argument on a wrong length.
  void restore(std::span<const double> state);

 private:
  explicit ActionNoise(const ActionNoiseOptions& options);

  ActionNoiseOptions options_;
  std::vector<double> state_;  // computed in double, as NumPy does
};

}  // namespace tars::rl
