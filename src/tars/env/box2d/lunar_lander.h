// LunarLander-v3: Gymnasium 1.x's `box2d/lunar_lander.py` on Box2D 2.4 (discrete and continuous).
//
// The terrain, the initial push, the wind offsets and the engine dispersion come from np_random()
// in Gymnasium's order, so they match Gymnasium exactly for a seed; the physics is Box2D 2.4
// where Gymnasium uses pybox2d 2.3.10, so trajectories agree closely for the first steps and then
// drift. Box2D stays out of this header (it is widely included): the world lives in a pimpl.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "tars/core/status.h"
#include "tars/env/env.h"
#include "tars/env/kwargs.h"

namespace tars::env {

// `gym.make("LunarLander-v3", **kwargs)` arguments, with Gymnasium's defaults.
struct LunarLanderConfig {
  bool continuous = false;        // Box(-1, 1, (2,)) actions instead of Discrete(4)
  double gravity = -10.0;         // must satisfy -12 < gravity < 0 (Gymnasium asserts it)
  bool enable_wind = false;       // wind force and turbulence torque while no leg touches
  double wind_power = 15.0;       // Gymnasium recommends [0, 20] and only warns; any finite value
  double turbulence_power = 1.5;  // Gymnasium recommends [0, 2] and only warns; any finite value
};

// Why `config` cannot be used (the message names the field), or ok.
core::Status validate(const LunarLanderConfig& config);

class LunarLander final : public Env {
 public:
  static constexpr const char* kId = "LunarLander-v3";
  // Gymnasium's alias registered with kwargs {"continuous": True}.
  static constexpr const char* kContinuousId = "LunarLanderContinuous-v3";
  static constexpr int kMaxEpisodeSteps = 1000;
  static constexpr double kRewardThreshold = 200.0;
  static constexpr int kTerrainPoints = 11;  // Gymnasium's CHUNKS

  // Reads the kwargs (continuous, gravity, enable_wind, wind_power, turbulence_power).
  static core::Expected<std::unique_ptr<Env>> make(const Kwargs& kwargs);
  // As make(), with `continuous` defaulting to true and the spec id kContinuousId.
  static core::Expected<std::unique_ptr<Env>> make_continuous(const Kwargs& kwargs);
  static core::Expected<std::unique_ptr<LunarLander>> create(const LunarLanderConfig& config,
                                                             const char* id = kId);

  ~LunarLander() override;

  const LunarLanderConfig& config() const { return config_; }
  bool continuous() const { return config_.continuous; }
  // The ground drawn at the last reset: height at x = 2 i (world units), i = 0..10; the helipad
  // spans i = 4..6.
  const std::array<double, kTerrainPoints>& terrain_y() const { return terrain_y_; }

 protected:
  // Builds a new world (terrain, lander, legs) and returns `step(0)`'s observation, as Gymnasium.
  // LunarLander takes no reset options.
  core::Status reset_state(const ResetOptions& options) override;
  StepResult step_discrete(std::int64_t action) override;
  StepResult step_continuous(std::span<const float> action) override;

 private:
  struct Physics;  // the Box2D world, bodies and contact listener

  // What the engines do this step, decoded from either action kind.
  struct Thrust {
    double main_power = 0.0;  // m_power: 0, or 0.5..1 while the main engine fires
    double side_power = 0.0;  // s_power: 0, or 0.5..1 while a side engine fires
    double direction = 0.0;   // -1 left engine, +1 right engine
  };

  LunarLander(const LunarLanderConfig& config, const char* id);
  static core::Expected<std::unique_ptr<Env>> make_with(const Kwargs& kwargs, const char* id,
                                                        bool continuous);

  void apply_wind();
  // One Gymnasium `step`: wind, dispersion draws, engine impulses, world step, observation,
  // reward and termination.
  StepResult advance(const Thrust& thrust);

  LunarLanderConfig config_;
  std::unique_ptr<Physics> physics_;
  std::array<double, kTerrainPoints> terrain_y_{};  // Gymnasium's smooth_y
  double helipad_y_ = 0.0;
  bool has_prev_shaping_ = false;  // Gymnasium's `prev_shaping is not None`
  double prev_shaping_ = 0.0;
  std::int64_t wind_idx_ = 0;  // drawn at reset only when wind is enabled
  std::int64_t torque_idx_ = 0;
};

}  // namespace tars::env
