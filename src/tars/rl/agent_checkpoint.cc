#include "tars/rl/agent_checkpoint.h"

#include <optional>
#include <utility>

namespace tars::rl {

core::Expected<CheckpointMetadata> save_agent(const std::filesystem::path& dir, const Agent& agent,
                                              CheckpointMetadata metadata,
                                              bool with_replay_buffer) {
  metadata.algorithm = agent.algorithm();
  metadata.env_id = agent.env_spec().id;
  metadata.hyperparameters_json = hyperparameters_json(agent.hyperparameters());
  const TrainingState state = agent.training_state();
  const std::optional<nn::SafetensorsFile> replay =
      with_replay_buffer ? agent.replay_buffer() : std::nullopt;
  return save_checkpoint(dir, metadata, agent.tensors(), &state, replay ? &*replay : nullptr);
}

core::Status restore_agent(const std::filesystem::path& dir, const Checkpoint& checkpoint,
                           Agent& agent) {
  if (core::Status status = agent.load_tensors(checkpoint.tensors); !status.ok()) return status;
  if (checkpoint.training_state) {
    if (core::Status status = agent.load_training_state(*checkpoint.training_state); !status.ok()) {
      return status;
    }
  }
  auto replay = load_replay_buffer(dir, checkpoint.metadata);
  if (!replay.ok()) return replay.status();
  if (*replay) return agent.load_replay_buffer(**replay);
  return {};
}

}  // namespace tars::rl
