// An agent's training state (TrainingState) field by field. An algorithm lists its fields once,
// in a function template that takes either archive, so that saving and loading cannot drift
// apart:
//
//   template <typename Self, typename Archive>
//   static void state_fields(Self& self, Archive& archive) {
//     archive.integer("steps", self.steps_);
//     archive.optimizer("optimizer", self.optimizer_);
//   }
//
// StateWriter records values as JSON fields and tensors. StateReader checks each field (and
// tensor) as it is asked for and changes nothing until apply(), which either names every problem
// or assigns every field.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tars/core/rng.h"
#include "tars/core/status.h"
#include "tars/nn/adam.h"
#include "tars/nn/rmsprop.h"
#include "tars/rl/action_noise.h"
#include "tars/rl/agent.h"
#include "tars/rl/rolling_mean.h"
#include "tars/rl/rollout_buffer.h"

namespace tars::rl {

class StateWriter {
 public:
  StateWriter();
  // A writer for the JSON object under `key`.
  StateWriter scope(std::string_view key);

  void integer(std::string_view key, std::int64_t value);
  void unsigned_integer(std::string_view key, std::uint64_t value);
  void number(std::string_view key, double value);  // NaN and ±∞ are written as null
  void flag(std::string_view key, bool value);
  void text(std::string_view key, std::string_view value);
  void numbers(std::string_view key, std::span<const double> values);
  void flags(std::string_view key, std::span<const std::uint8_t> values);
  // As NumPy's bit_generator.state: {"bit_generator": "PCG64", "state": "0x…", "inc": "0x…",
  // "has_uint32": 0, "uinteger": 0} (the 128-bit words as hex text).
  void generator(std::string_view key, const core::Generator& generator);
  void window(std::string_view key, const RollingMean& window);  // its values, oldest first
  void progress(std::string_view key, const LearnProgress& progress);
  void noise(std::string_view key, const ActionNoise& noise);  // the Ornstein-Uhlenbeck state
  // {"step", "lr"} under `key`; the moments as tensors "optimizer.<parameter>.<moment>",
  // row-major [rows, cols] as the weights in model.safetensors, a column (bias, log σ) as [rows].
  void optimizer(std::string_view key, const nn::Adam<float>& optimizer);
  void optimizer(std::string_view key, const nn::Rmsprop<float>& optimizer);
  // The number of steps of the rollout in progress under `key`, the steps as tensors
  // "rollout.<field>" [steps, n_envs(, size)]; a complete rollout (already learnt from) has none.
  void rollout(std::string_view key, const RolloutBuffer& buffer);

  // The JSON object and the tensors written through this writer and its scopes.
  TrainingState finish() const;

 private:
  struct Root;
  StateWriter(std::shared_ptr<Root> root, std::vector<std::string> path);
  nlohmann::ordered_json& object();  // this writer's JSON object
  template <typename Optimizer>
  void write_optimizer(std::string_view key, const Optimizer& optimizer);

  std::shared_ptr<Root> root_;
  std::vector<std::string> path_;  // keys from the root object to this writer's object
};

class StateReader {
 public:
  // Parses the JSON; a malformed state is reported by apply().
  explicit StateReader(const TrainingState& state);
  // A reader for the JSON object under `key`, sharing this reader's checks and assignments.
  StateReader scope(std::string_view key);
  // Whether `key` is present and not null.
  bool has(std::string_view key) const;

  void integer(std::string_view key, std::int64_t& out);  // a non-negative integer
  void number(std::string_view key, double& out);         // null reads as NaN
  void flag(std::string_view key, bool& out);
  void numbers(std::string_view key, std::span<double> out);  // exactly out.size() numbers
  void flags(std::string_view key, std::span<std::uint8_t> out);
  // Values to check further before assigning them with defer(); nullopt after recording the
  // problem.
  std::optional<std::uint64_t> integer(std::string_view key);  // a non-negative integer
  std::optional<double> number(std::string_view key);
  std::optional<std::string> text(std::string_view key);
  std::optional<std::vector<double>> numbers(std::string_view key);  // any number of them
  void generator(std::string_view key, core::Generator& out);
  void window(std::string_view key, RollingMean& out);  // at most its capacity
  // Existing metric entries are assigned, not replaced (algorithms keep pointers into them).
  void progress(std::string_view key, LearnProgress& out);
  void noise(std::string_view key, ActionNoise& out);
  void optimizer(std::string_view key, nn::Adam<float>& out);
  void optimizer(std::string_view key, nn::Rmsprop<float>& out);
  void rollout(std::string_view key, RolloutBuffer& out);  // restarts `out` with the saved steps

  // Records a problem with the field `key`: "'scope.key' <message>".
  void invalid(std::string_view key, std::string_view message);
  // Runs `assign` in apply(), when every field read is valid.
  void defer(std::function<void()> assign);
  // Either fails naming every problem, tensors no field claimed included, and changes nothing, or
  // assigns every field read (since the previous apply()).
  core::Status apply();

 private:
  struct Shared;
  StateReader(std::shared_ptr<Shared> shared, std::vector<std::string> path);
  std::string name(std::string_view key) const;  // "scope.key", for messages
  void problem(std::string message);
  // The field `key`, or nullptr after recording that it is missing.
  const nlohmann::json* field(std::string_view key);
  // The tensor `name` with that shape and dtype (claimed), or nullptr after recording why not.
  const nn::StoredTensor* claim(const std::string& name, const std::vector<std::int64_t>& shape,
                                nn::DType dtype);
  template <typename Optimizer>
  void read_optimizer(std::string_view key, Optimizer& out);

  std::shared_ptr<Shared> shared_;
  std::vector<std::string> path_;
};

// A training state from `fields(StateWriter&)`, and one read back through `fields(StateReader&)`
// (agents list their fields once, in a template taking either).
template <typename Fields>
TrainingState write_training_state(const Fields& fields) {
  StateWriter out;
  fields(out);
  return out.finish();
}
template <typename Fields>
core::Status read_training_state(const TrainingState& state, const Fields& fields) {
  StateReader in(state);
  fields(in);
  return in.apply();
}

}  // namespace tars::rl
