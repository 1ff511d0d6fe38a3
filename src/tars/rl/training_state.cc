// StateWriter: the training state as JSON fields and tensors.
#include "tars/rl/training_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "tars/rl/checkpoint.h"
#include "tars/rl/training_state_layout.h"

namespace tars::rl {

namespace {

using nlohmann::ordered_json;
using state_layout::kRolloutScalars;
using state_layout::moment_shape;
using state_layout::rollout_shape;

nn::StoredTensor stored_matrix(std::string name, const nn::ConstMatrixMap<float>& matrix) {
  const nn::Matrix<float> row_major = matrix.transpose();
  return {std::move(name), moment_shape(matrix.rows(), matrix.cols()),
          std::vector<float>(row_major.data(), row_major.data() + row_major.size())};
}

std::string hex128(core::Uint128 value) {
  return fmt::format("0x{:016x}{:016x}", static_cast<std::uint64_t>(value >> 64),
                     static_cast<std::uint64_t>(value));
}

ordered_json number_json(double value) {
  return std::isfinite(value) ? ordered_json(value) : ordered_json(nullptr);
}

}  // namespace

struct StateWriter::Root {
  ordered_json object = ordered_json::object();
  std::vector<nn::StoredTensor> tensors;
};

StateWriter::StateWriter() : root_(std::make_shared<Root>()) {}

StateWriter::StateWriter(std::shared_ptr<Root> root, std::vector<std::string> path)
    : root_(std::move(root)), path_(std::move(path)) {}

ordered_json& StateWriter::object() {
  ordered_json* object = &root_->object;
  for (const std::string& key : path_) object = &(*object)[key];
  return *object;
}

StateWriter StateWriter::scope(std::string_view key) {
  std::vector<std::string> path = path_;
  path.emplace_back(key);
  StateWriter child(root_, std::move(path));
  child.object() = ordered_json::object();
  return child;
}

void StateWriter::integer(std::string_view key, std::int64_t value) {
  object()[std::string(key)] = value;
}

void StateWriter::unsigned_integer(std::string_view key, std::uint64_t value) {
  object()[std::string(key)] = value;
}

void StateWriter::number(std::string_view key, double value) {
  object()[std::string(key)] = number_json(value);
}

void StateWriter::flag(std::string_view key, bool value) { object()[std::string(key)] = value; }

void StateWriter::text(std::string_view key, std::string_view value) {
  object()[std::string(key)] = value;
}

void StateWriter::numbers(std::string_view key, std::span<const double> values) {
  ordered_json list = ordered_json::array();
  for (double value : values) list.push_back(number_json(value));
  object()[std::string(key)] = std::move(list);
}

void StateWriter::flags(std::string_view key, std::span<const std::uint8_t> values) {
  ordered_json list = ordered_json::array();
  for (std::uint8_t value : values) list.push_back(value != 0);
  object()[std::string(key)] = std::move(list);
}

void StateWriter::generator(std::string_view key, const core::Generator& generator) {
  const core::Pcg64& bits = generator.bit_generator();
  object()[std::string(key)] = {{"bit_generator", "PCG64"},
                                {"state", hex128(bits.state())},
                                {"inc", hex128(bits.increment())},
                                {"has_uint32", bits.has_uint32() ? 1 : 0},
                                {"uinteger", bits.uinteger()}};
}

void StateWriter::window(std::string_view key, const RollingMean& window) {
  numbers(key, window.values());
}

void StateWriter::progress(std::string_view key, const LearnProgress& progress) {
  StateWriter out = scope(key);
  out.integer("steps", progress.steps);
  out.integer("episodes", progress.episodes);
  out.number("recent_return_mean", progress.recent_return_mean);
  StateWriter metrics = out.scope("metrics");
  for (const auto& [name, value] : progress.metrics) metrics.number(name, value);
}

void StateWriter::noise(std::string_view key, const ActionNoise& noise) {
  numbers(key, noise.state());
}

template <typename Optimizer>
void StateWriter::write_optimizer(std::string_view key, const Optimizer& optimizer) {
  StateWriter out = scope(key);
  out.integer("step", optimizer.step_count());
  out.number("lr", optimizer.lr());
  for (const auto& moment : optimizer.state()) {
    root_->tensors.push_back(stored_matrix(kOptimizerTensorPrefix + moment.name, moment.value));
  }
}

void StateWriter::optimizer(std::string_view key, const nn::Adam<float>& optimizer) {
  write_optimizer(key, optimizer);
}

void StateWriter::optimizer(std::string_view key, const nn::Rmsprop<float>& optimizer) {
  write_optimizer(key, optimizer);
}

void StateWriter::rollout(std::string_view key, const RolloutBuffer& buffer) {
  const int steps = buffer.full() ? 0 : buffer.steps();
  integer(key, steps);
  if (steps == 0) return;
  const RolloutBufferOptions& o = buffer.options();
  const std::size_t samples = static_cast<std::size_t>(steps) * static_cast<std::size_t>(o.n_envs);
  const auto add = [&](const char* field, std::span<const float> column, std::size_t width) {
    const std::span<const float> stored = column.first(samples * std::max<std::size_t>(width, 1));
    root_->tensors.push_back({kRolloutTensorPrefix + std::string(field),
                              rollout_shape(steps, o.n_envs, width),
                              std::vector<float>(stored.begin(), stored.end())});
  };
  add("observations", buffer.observations(), o.observation_size);
  if (o.discrete_actions) {
    // Action indices as float64, exact up to 2^53.
    const std::span<const std::int64_t> actions = buffer.discrete_actions().first(samples);
    root_->tensors.push_back({kRolloutTensorPrefix + std::string("actions"),
                              rollout_shape(steps, o.n_envs, 0),
                              std::vector<double>(actions.begin(), actions.end())});
  } else {
    add("actions", buffer.continuous_actions(), o.action_size);
  }
  const std::array<std::span<const float>, kRolloutScalars.size()> scalars = {
      buffer.rewards(), buffer.episode_starts(), buffer.values(), buffer.log_probs()};
  for (std::size_t k = 0; k < scalars.size(); ++k) add(kRolloutScalars[k], scalars[k], 0);
}

TrainingState StateWriter::finish() const { return {root_->tensors, root_->object.dump()}; }

}  // namespace tars::rl
