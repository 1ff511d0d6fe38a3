#include "test_reference.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tars/env/kwargs_json.h"

namespace tars::env::test {

namespace {

using nlohmann::json;

std::vector<double> numbers(const json& array) {
  std::vector<double> values;
  values.reserve(array.size());
  for (const json& value : array) values.push_back(value.get<double>());
  return values;
}

ReferenceAction parse_action(const json& action) {
  if (action.is_number_integer()) return action.get<std::int64_t>();
  if (!action.is_array()) throw std::runtime_error("action is neither an integer nor an array");
  std::vector<float> values;
  for (const json& value : action) values.push_back(static_cast<float>(value.get<double>()));
  return values;
}

}  // namespace

std::filesystem::path reference_dir() {
  return std::filesystem::path(TARS_SHARED_DIR) / "reference" / "gymnasium";
}

std::vector<std::filesystem::path> reference_files(std::string_view prefix) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(reference_dir(), error)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".jsonl" && name.starts_with(prefix)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

core::Expected<ReferenceEpisode> load_reference(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return core::io_error(fmt::format("cannot open {}", path.string()));
  ReferenceEpisode episode;
  episode.path = path;
  std::string line;
  int line_number = 0;
  try {
    while (std::getline(in, line)) {
      ++line_number;
      if (line.empty()) continue;
      const json row = json::parse(line);
      if (line_number == 1) {
        episode.env_id = row.at("env").get<std::string>();
        auto kwargs = env::parse_kwargs(row.at("kwargs").dump());
        if (!kwargs.ok()) throw std::runtime_error(kwargs.status().message());
        episode.kwargs = std::move(*kwargs);
        episode.seed = row.at("seed").get<std::uint64_t>();
        episode.action_seed = row.value("action_seed", std::uint64_t{0});
        episode.gymnasium = row.value("gymnasium", std::string());
        episode.policy = row.value("policy", std::string());
      } else if (line_number == 2) {
        episode.reset_obs = numbers(row.at("obs"));
      } else {
        ReferenceStep step;
        step.action = parse_action(row.at("action"));
        step.obs = numbers(row.at("obs"));
        step.reward = row.at("reward").get<double>();
        step.terminated = row.at("terminated").get<bool>();
        step.truncated = row.at("truncated").get<bool>();
        episode.steps.push_back(std::move(step));
      }
    }
  } catch (const std::exception& error) {
    return core::invalid_argument(
        fmt::format("{} line {}: {}", path.filename().string(), line_number, error.what()));
  }
  if (line_number < 2) {
    return core::invalid_argument(
        fmt::format("{}: needs a header and a reset line", path.filename().string()));
  }
  return episode;
}

core::Expected<StepResult> step_with(Env& env, const ReferenceAction& action) {
  if (const auto* discrete = std::get_if<std::int64_t>(&action)) return env.step(*discrete);
  return env.step(std::span<const float>(std::get<std::vector<float>>(action)));
}

std::string test_name(const std::filesystem::path& path) {
  std::string name = path.stem().string();
  for (char& c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
  }
  return name;
}

}  // namespace tars::env::test
