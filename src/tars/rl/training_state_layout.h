// How the training state lays out its tensors, shared by StateWriter (training_state.cc) and
// StateReader (training_state_reader.cc).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tars/nn/tensor.h"

namespace tars::rl::state_layout {

// An optimizer moment as its parameter is stored: [rows, cols] row-major, or [rows] for a column
// vector (a bias, log σ).
inline std::vector<std::int64_t> moment_shape(nn::Index rows, nn::Index cols) {
  if (cols == 1) return {rows};
  return {rows, cols};
}

// A rollout tensor's shape: [steps, n_envs], plus [width] for per-sample vectors (width > 0).
inline std::vector<std::int64_t> rollout_shape(int steps, int n_envs, std::size_t width) {
  std::vector<std::int64_t> shape = {steps, n_envs};
  if (width > 0) shape.push_back(static_cast<std::int64_t>(width));
  return shape;
}

// The per-sample float columns of a rollout besides observations and actions.
inline constexpr std::array<const char*, 4> kRolloutScalars = {"rewards", "episode_starts",
                                                               "values", "log_probs"};

}  // namespace tars::rl::state_layout
