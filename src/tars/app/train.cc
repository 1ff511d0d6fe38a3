#include "tars/app/train.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "tars/core/memory.h"
#include "tars/env/registry.h"
#include "tars/env/vector_env.h"
#include "tars/rl/agent_checkpoint.h"
#include "tars/rl/algorithms.h"
#include "tars/rl/checkpoint.h"
#include "tars/rl/evaluate.h"
#include "tars/rl/presets.h"

namespace tars::app {

namespace {

constexpr std::int64_t kDefaultSteps = 100'000;
// Evaluation episodes use seeds far from the training seeds.
constexpr std::uint64_t kEvalSeedOffset = 1'000'000;

struct Resolved {
  rl::Hyperparameters hyperparameters;
  std::int64_t steps = 0;
};

// The checkpoint's hyperparameters, stored as {"name": "value text", ...}.
core::Expected<Resolved> resolve(const TrainRequest& request,
                                 const std::optional<rl::Checkpoint>& resumed) {
  auto hyperparameters = rl::default_hyperparameters(request.algorithm);
  if (!hyperparameters.ok()) return hyperparameters.status();
  std::int64_t steps = kDefaultSteps;
  std::optional<std::int64_t> saved_n_envs;  // fixed when the training state is resumed
  if (resumed) {
    const rl::CheckpointMetadata& metadata = resumed->metadata;
    if (metadata.algorithm != request.algorithm || metadata.env_id != request.env_id) {
      return core::invalid_argument(
          fmt::format("--resume: the checkpoint is {} on {}, not {} on {}", metadata.algorithm,
                      metadata.env_id, request.algorithm, request.env_id));
    }
    if (core::Status s = rl::apply_checkpoint_hyperparameters(metadata, *hyperparameters);
        !s.ok()) {
      return s;
    }
    if (resumed->training_state) saved_n_envs = hyperparameters->integer("n_envs");
  } else if (request.preset == "zoo") {
    auto preset = rl::zoo_preset(request.algorithm, request.env_id);
    if (!preset.ok()) return preset.status();
    if (core::Status s = hyperparameters->set_all(preset->hyperparameters); !s.ok()) return s;
    steps = preset->n_timesteps;
  } else if (request.preset != "tars") {
    return core::invalid_argument(
        fmt::format("--preset must be zoo or tars, got '{}'", request.preset));
  }
  if (request.num_envs) {
    if (core::Status s = hyperparameters->set("n_envs", std::to_string(*request.num_envs));
        !s.ok()) {
      return s;
    }
  }
  if (core::Status s = hyperparameters->set_all(request.overrides); !s.ok()) return s;
  if (saved_n_envs && *saved_n_envs != hyperparameters->integer("n_envs")) {
    return core::invalid_argument(
        fmt::format("--resume: n_envs {} differs from the checkpoint's {} (its training state "
                    "holds each environment's episode)",
                    hyperparameters->integer("n_envs"), *saved_n_envs));
  }
  if (request.steps) steps = *request.steps;
  if (steps < 1) {
    return core::invalid_argument(fmt::format("--steps must be positive, got {}", steps));
  }
  if (request.eval_episodes < 1) {
    return core::invalid_argument(
        fmt::format("--eval-episodes must be positive, got {}", request.eval_episodes));
  }
  return Resolved{std::move(*hyperparameters), steps};
}

}  // namespace

std::string TrainSummary::to_json() const {
  nlohmann::json line = {{"algo", algorithm},
                         {"env", env_id},
                         {"seed", seed},
                         {"steps", steps},
                         {"wall_seconds", wall_seconds},
                         {"steps_per_second", steps_per_second},
                         {"eval_mean_return", eval_mean_return},
                         {"eval_std_return", eval_std_return},
                         {"peak_rss_bytes", peak_rss_bytes},
                         {"checkpoint", checkpoint_dir.empty() ? nlohmann::json(nullptr)
                                                               : nlohmann::json(checkpoint_dir)},
                         {"content_hash", content_hash}};
  return line.dump();
}

core::Expected<TrainSummary> run_training(const TrainRequest& request, std::ostream& progress) {
  std::optional<rl::Checkpoint> resumed;
  if (!request.resume_dir.empty()) {
    auto loaded = rl::load_checkpoint(request.resume_dir);
    if (!loaded.ok()) return core::invalid_argument("--resume: " + loaded.status().message());
    resumed = std::move(*loaded);
  }
  auto resolved = resolve(request, resumed);
  if (!resolved.ok()) return resolved.status();
  const rl::Hyperparameters& hyperparameters = resolved->hyperparameters;

  env::VectorEnvOptions options;
  options.num_envs = static_cast<int>(hyperparameters.integer("n_envs"));
  auto envs = env::VectorEnv::make(request.env_id, request.env_kwargs, options);
  if (!envs.ok()) return envs.status();
  auto agent = rl::make_agent(request.algorithm, (*envs)->spec(), hyperparameters, request.seed);
  if (!agent.ok()) return agent.status();
  const std::int64_t previous_steps = resumed ? resumed->metadata.steps : 0;
  if (resumed) {
    if (core::Status status = rl::restore_agent(request.resume_dir, *resumed, **agent);
        !status.ok()) {
      return core::invalid_argument("--resume: " + status.message());
    }
    progress << fmt::format("resuming from {} ({} steps trained)\n", request.resume_dir,
                            previous_steps);
  }
  if (core::Status status = (*envs)->reset(request.seed); !status.ok()) return status;

  progress << fmt::format("training {} on {} for {} steps ({} envs, seed {})\n", request.algorithm,
                          request.env_id, resolved->steps, options.num_envs, request.seed);
  const auto start = std::chrono::steady_clock::now();
  auto last_print = start;
  std::int64_t next_eval = request.eval_every;
  core::Status eval_error;
  // The agent counts steps from the checkpoint's on (a version-1 checkpoint: from 0).
  const std::int64_t start_steps = (*agent)->progress().steps;
  std::int64_t end_steps = start_steps;
  const auto report = [&](const rl::LearnProgress& p) {
    end_steps = p.steps;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    std::string line;
    if (request.eval_every > 0 && p.steps >= next_eval) {
      next_eval += request.eval_every;
      auto eval = rl::evaluate_agent(**agent, request.env_id, request.env_kwargs, 5,
                                     request.seed + kEvalSeedOffset);
      if (!eval.ok()) {
        eval_error = eval.status();
      } else {
        line = fmt::format("  eval {:.1f} ± {:.1f}", eval->mean_return, eval->std_return);
      }
    }
    if (line.empty() && std::chrono::duration<double>(now - last_print).count() < 1.0) return;
    last_print = now;
    progress << fmt::format("steps {:>9}  {:>8.0f} steps/s  episodes {:>6}  return {:>8.1f}",
                            p.steps, p.steps / std::max(elapsed, 1e-9), p.episodes,
                            p.recent_return_mean);
    for (const auto& [key, value] : p.metrics) progress << fmt::format("  {} {:.4g}", key, value);
    progress << line << '\n';
  };
  if (core::Status status = (*agent)->learn(**envs, resolved->steps, report); !status.ok()) {
    return status;
  }
  if (!eval_error.ok()) return eval_error;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  auto evaluation = rl::evaluate_agent(**agent, request.env_id, request.env_kwargs,
                                       request.eval_episodes, request.seed + kEvalSeedOffset);
  if (!evaluation.ok()) return evaluation.status();

  const std::int64_t trained_steps = end_steps - start_steps;
  TrainSummary summary;
  summary.algorithm = request.algorithm;
  summary.env_id = request.env_id;
  summary.seed = request.seed;
  summary.steps = previous_steps + trained_steps;
  summary.wall_seconds = wall;
  summary.steps_per_second = static_cast<double>(trained_steps) / wall;
  summary.eval_mean_return = evaluation->mean_return;
  summary.eval_std_return = evaluation->std_return;
  if (!request.out_dir.empty()) {
    rl::CheckpointMetadata metadata;
    metadata.env_kwargs = request.env_kwargs;
    metadata.seed = request.seed;
    metadata.steps = summary.steps;
    auto saved = rl::save_agent(request.out_dir, **agent, metadata, request.save_replay_buffer);
    if (!saved.ok()) return saved.status();
    summary.checkpoint_dir = request.out_dir;
    summary.content_hash = saved->content_hash;
  }
  auto peak = core::peak_rss_bytes();
  if (peak.ok()) summary.peak_rss_bytes = *peak;
  return summary;
}

}  // namespace tars::app
