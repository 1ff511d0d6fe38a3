#include "tars/env/box2d/lunar_lander_heuristic.h"

#include <algorithm>
#include <cmath>

namespace tars::env {
namespace {

// What both action kinds are derived from: how much to turn and how much to lift
// (Gymnasium calls them angle_todo and hover_todo).
struct Correction {
  double angle = 0.0;
  double hover = 0.0;
};

// Computed in double from the float32 observation, as NumPy 1.x promotes float32 scalars
// combined with Python floats.
Correction heuristic_correction(std::span<const float> observation) {
  const double x = observation[0];
  const double y = observation[1];
  const double vx = observation[2];
  const double vy = observation[3];
  const double angle = observation[4];
  const double angular_velocity = observation[5];
  const bool leg_contact = observation[6] != 0.0f || observation[7] != 0.0f;

  // Point towards the centre, but never tilt more than 0.4 rad (22 degrees).
  double angle_target = x * 0.5 + vx * 1.0;
  if (angle_target > 0.4) angle_target = 0.4;
  if (angle_target < -0.4) angle_target = -0.4;
  // Hover higher the further the lander is from the centre.
  const double hover_target = 0.55 * std::abs(x);

  Correction correction;
  correction.angle = (angle_target - angle) * 0.5 - angular_velocity * 1.0;
  correction.hover = (hover_target - y) * 0.5 - vy * 0.5;
  if (leg_contact) {  // after touchdown only reduce the fall speed
    correction.angle = 0.0;
    correction.hover = -vy * 0.5;
  }
  return correction;
}

}  // namespace

std::int64_t lunar_lander_heuristic_discrete(std::span<const float> observation) {
  const Correction correction = heuristic_correction(observation);
  if (correction.hover > std::abs(correction.angle) && correction.hover > 0.05) return 2;
  if (correction.angle < -0.05) return 3;
  if (correction.angle > +0.05) return 1;
  return 0;
}

std::array<float, 2> lunar_lander_heuristic_continuous(std::span<const float> observation) {
  const Correction correction = heuristic_correction(observation);
  return {static_cast<float>(std::clamp(correction.hover * 20 - 1, -1.0, 1.0)),
          static_cast<float>(std::clamp(-correction.angle * 20, -1.0, 1.0))};
}

}  // namespace tars::env
