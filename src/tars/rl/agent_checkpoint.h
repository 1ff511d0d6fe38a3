// A whole agent as a checkpoint directory and back: its weights, its training state and,
// optionally, its replay buffer (see checkpoint.h for the files).
#pragma once

#include <filesystem>

#include "tars/core/status.h"
#include "tars/rl/agent.h"
#include "tars/rl/checkpoint.h"

namespace tars::rl {

// Saves `agent`: weights and training state, and its replay buffer when `with_replay_buffer` is
// set and it has one. `metadata` supplies env_kwargs, seed and steps; the algorithm, the
// environment id and the hyperparameters are the agent's.
core::Expected<CheckpointMetadata> save_agent(const std::filesystem::path& dir, const Agent& agent,
                                              CheckpointMetadata metadata, bool with_replay_buffer);

// Restores `checkpoint`, loaded from `dir`, into `agent` (built with the checkpoint's
// hyperparameters): the weights, the training state when the checkpoint has one (version 1 has
// not) and the replay buffer when it was saved with one. Errors name what does not fit.
core::Status restore_agent(const std::filesystem::path& dir, const Checkpoint& checkpoint,
                           Agent& agent);

}  // namespace tars::rl
