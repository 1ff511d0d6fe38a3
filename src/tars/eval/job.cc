#include "tars/eval/job.h"

#include <fmt/format.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "tars/env/kwargs_json.h"
#include "tars/env/registry.h"
#include "tars/eval/agent_policy.h"
#include "tars/eval/builtin_policies.h"

namespace tars::eval {
namespace {

constexpr int kMaxEpisodes = 100000;

core::Status check_fields(const EvaluationJob& job) {
  if (job.episodes < 1 || job.episodes > kMaxEpisodes) {
    return core::invalid_argument(
        fmt::format("episodes: must be between 1 and {}, got {}", kMaxEpisodes, job.episodes));
  }
  if (job.seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return core::invalid_argument(fmt::format("seed: must be below 2^63, got {}", job.seed));
  }
  if (!(job.budget_seconds >= 0.0)) {
    return core::invalid_argument(
        fmt::format("budget_seconds: must be >= 0, got {}", job.budget_seconds));
  }
  if (job.policy.builtin.empty() == job.policy.checkpoint_dir.empty()) {
    return core::invalid_argument("policy: give either a built-in policy or a checkpoint");
  }
  if (!job.policy.builtin.empty() && job.environment.empty()) {
    return core::invalid_argument("environment: required for a built-in policy");
  }
  return {};
}

}  // namespace

core::Expected<ResolvedPolicy> resolve_policy(const EvaluationJob& job) {
  if (auto status = check_fields(job); !status.ok()) return status;
  ResolvedPolicy resolved{.environment = job.environment, .kwargs = job.kwargs};
  if (!job.policy.checkpoint_dir.empty()) {
    auto loaded = load_checkpoint_policy(job.policy.checkpoint_dir);
    if (!loaded.ok()) return loaded.status();
    if (resolved.environment.empty()) resolved.environment = loaded->metadata.env_id;
    if (resolved.kwargs.empty()) resolved.kwargs = loaded->metadata.env_kwargs;
    resolved.policy = std::move(loaded->policy);
    return resolved;
  }
  auto env = env::make(job.environment, job.kwargs);
  if (!env.ok()) return env.status();
  auto policy = make_builtin_policy(job.policy.builtin, (*env)->spec(), job.seed);
  if (!policy.ok()) return policy.status();
  resolved.policy = std::move(*policy);
  return resolved;
}

std::string to_json(const EvaluationJob& job) {
  nlohmann::json json{{"evaluation_id", job.evaluation_id},
                      {"agent_id", job.agent_id},
                      {"policy", job.policy.builtin},
                      {"checkpoint", job.policy.checkpoint_dir.string()},
                      {"environment", job.environment},
                      {"kwargs", nlohmann::json::parse(env::kwargs_to_json(job.kwargs))},
                      {"episodes", job.episodes},
                      {"seed", job.seed},
                      {"policy_mode", store::policy_mode_name(job.mode)},
                      {"budget_seconds", job.budget_seconds},
                      {"promote", job.promote}};
  json["success_threshold"] =
      job.success_threshold ? nlohmann::json(*job.success_threshold) : nlohmann::json();
  return json.dump();
}

core::Expected<EvaluationJob> job_from_json(const std::string& text) {
  try {
    const auto json = nlohmann::json::parse(text);
    EvaluationJob job;
    job.evaluation_id = json.at("evaluation_id").get<std::int64_t>();
    job.agent_id = json.at("agent_id").get<std::string>();
    job.policy.builtin = json.at("policy").get<std::string>();
    job.policy.checkpoint_dir = json.at("checkpoint").get<std::string>();
    job.environment = json.at("environment").get<std::string>();
    auto kwargs = env::parse_kwargs(json.at("kwargs").dump());
    if (!kwargs.ok()) return kwargs.status();
    job.kwargs = std::move(*kwargs);
    job.episodes = json.at("episodes").get<int>();
    job.seed = json.at("seed").get<std::uint64_t>();
    auto mode = store::parse_policy_mode(json.at("policy_mode").get<std::string>());
    if (!mode.ok()) return mode.status();
    job.mode = *mode;
    job.budget_seconds = json.at("budget_seconds").get<double>();
    job.promote = json.at("promote").get<bool>();
    if (!json.at("success_threshold").is_null()) {
      job.success_threshold = json.at("success_threshold").get<double>();
    }
    return job;
  } catch (const nlohmann::json::exception& error) {
    return core::invalid_argument(fmt::format("evaluation job JSON: {}", error.what()));
  }
}

}  // namespace tars::eval
