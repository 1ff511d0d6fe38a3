#include "tars/app/rollout.h"

#include <fmt/format.h>

#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "tars/core/python_float.h"
#include "tars/env/kwargs_json.h"
#include "tars/env/registry.h"

namespace tars::app {

namespace {

core::Expected<FileAction> parse_action(const std::string& line, int line_number) {
  const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  const auto error = [&](std::string_view what) {
    return core::invalid_argument(fmt::format("actions line {}: {}: {}", line_number, what, line));
  };
  if (parsed.is_discarded()) return error("not valid JSON");
  FileAction action;
  action.line = line_number;
  if (parsed.is_number_integer()) {
    action.index = parsed.get<std::int64_t>();
    return action;
  }
  if (!parsed.is_array()) return error("expected an integer or an array of numbers");
  action.is_index = false;
  for (const nlohmann::json& value : parsed) {
    if (!value.is_number()) return error("array elements must be numbers");
    action.values.push_back(static_cast<float>(value.get<double>()));
  }
  return action;
}

// Python's json.dumps of a list of float32 values converted to Python floats.
std::string float_list(std::span<const float> values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    text += core::python_float(values[i]);
  }
  return text + "]";
}

std::string action_text(const FileAction& action) {
  return action.is_index ? std::to_string(action.index) : float_list(action.values);
}

const char* boolean(bool value) { return value ? "true" : "false"; }

}  // namespace

core::Expected<std::vector<FileAction>> read_actions(std::istream& input) {
  std::vector<FileAction> actions;
  std::string line;
  for (int line_number = 1; std::getline(input, line); ++line_number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto action = parse_action(line, line_number);
    if (!action.ok()) return action.status();
    actions.push_back(std::move(*action));
  }
  if (input.bad()) return core::io_error("could not read the actions");
  return actions;
}

core::Expected<std::size_t> run_rollout(const RolloutRequest& request,
                                        const std::vector<FileAction>& actions, std::ostream& out) {
  auto made = env::make(request.env_id, request.kwargs);
  if (!made.ok()) return made.status();
  env::Env& env = **made;
  auto observation = env.reset(request.seed);
  if (!observation.ok()) return observation.status();

  out << fmt::format(R"({{"env": {}, "kwargs": {}, "seed": {}, "actions": {}, "policy": "file"}})",
                     nlohmann::json(request.env_id).dump(), env::kwargs_to_json(request.kwargs),
                     request.seed, nlohmann::json(request.actions_source).dump())
      << '\n';
  out << R"({"obs": )" << float_list(*observation) << "}\n";

  for (std::size_t step = 0; step < actions.size(); ++step) {
    const FileAction& action = actions[step];
    auto result =
        action.is_index ? env.step(action.index) : env.step(std::span<const float>(action.values));
    if (!result.ok()) {
      return core::invalid_argument(
          fmt::format("actions line {}: {}", action.line, result.status().message()));
    }
    out << R"({"action": )" << action_text(action) << R"(, "obs": )"
        << float_list(env.observation()) << R"(, "reward": )" << core::python_float(result->reward)
        << R"(, "terminated": )" << boolean(result->terminated) << R"(, "truncated": )"
        << boolean(result->truncated) << "}\n";
    if (result->terminated || result->truncated) return actions.size() - step - 1;
  }
  return std::size_t{0};
}

}  // namespace tars::app
