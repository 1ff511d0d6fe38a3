// StateReader: checks every field and tensor it is asked for before assigning any.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "tars/rl/checkpoint.h"
#include "tars/rl/training_state.h"
#include "tars/rl/training_state_layout.h"

namespace tars::rl {

namespace {

using nlohmann::json;
using state_layout::kRolloutScalars;
using state_layout::moment_shape;
using state_layout::rollout_shape;

std::optional<core::Uint128> parse_hex128(std::string_view text) {
  if (!text.starts_with("0x") || text.size() < 3 || text.size() > 34) return std::nullopt;
  core::Uint128 value = 0;
  for (char c : text.substr(2)) {
    const bool decimal = c >= '0' && c <= '9';
    if (!decimal && !(c >= 'a' && c <= 'f')) return std::nullopt;
    value = value << 4 | static_cast<core::Uint128>(decimal ? c - '0' : c - 'a' + 10);
  }
  return value;
}

std::optional<double> as_number(const json& value) {
  if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (value.is_number()) return value.get<double>();
  return std::nullopt;
}

// The object at `path` under `root`, or nullptr when one of them is not an object.
const json* object_at(const json& root, const std::vector<std::string>& path) {
  const json* object = &root;
  for (const std::string& key : path) {
    const auto it = object->find(key);
    if (it == object->end() || !it->is_object()) return nullptr;
    object = &*it;
  }
  return object;
}

// Restarts `out` with the `k` saved steps (checked by StateReader::rollout). Re-adding them
// reproduces the buffer: the stored rewards already include the truncation bootstrap.
void restore_rollout(RolloutBuffer& out, int k, const nn::StoredTensor& observations,
                     const nn::StoredTensor& actions,
                     const std::array<const nn::StoredTensor*, kRolloutScalars.size()>& scalars) {
  const auto n = static_cast<std::size_t>(out.options().n_envs);
  const std::size_t obs = out.options().observation_size;
  const std::size_t act = out.options().action_size;
  const std::vector<float>& rewards = *scalars[0]->f32();
  const std::vector<float>& starts = *scalars[1]->f32();
  out.reset();
  for (int t = 0; t < k; ++t) {
    const std::size_t base = static_cast<std::size_t>(t) * n;
    std::vector<std::int64_t> discrete;
    if (out.options().discrete_actions) {
      for (std::size_t i = 0; i < n; ++i) {
        discrete.push_back(static_cast<std::int64_t>((*actions.f64())[base + i]));
      }
    }
    const std::span<const float> rewards_now = std::span(rewards).subspan(base, n);
    const std::vector<double> step_rewards(rewards_now.begin(), rewards_now.end());
    std::vector<std::uint8_t> step_starts;
    for (std::size_t i = 0; i < n; ++i) step_starts.push_back(starts[base + i] != 0.0f);
    const RolloutStep step{
        .observations = std::span(*observations.f32()).subspan(base * obs, n * obs),
        .discrete_actions = discrete,
        .continuous_actions = out.options().discrete_actions
                                  ? std::span<const float>()
                                  : std::span(*actions.f32()).subspan(base * act, n * act),
        .rewards = step_rewards,
        .episode_starts = step_starts,
        .values = std::span(*scalars[2]->f32()).subspan(base, n),
        .log_probs = std::span(*scalars[3]->f32()).subspan(base, n)};
    // StateReader::rollout checked every shape, so the buffer accepts each step.
    (void)out.add(step);
  }
}

}  // namespace

struct StateReader::Shared {
  json root;
  std::vector<nn::StoredTensor> tensors;
  std::vector<bool> claimed;
  std::vector<std::string> problems;
  std::vector<std::function<void()>> assignments;
};

StateReader::StateReader(const TrainingState& state) : shared_(std::make_shared<Shared>()) {
  shared_->tensors = state.tensors;
  shared_->claimed.assign(state.tensors.size(), false);
  shared_->root = json::parse(state.json, nullptr, /*allow_exceptions=*/false);
  if (!shared_->root.is_object()) {
    problem("the training state is not a JSON object");
    shared_->root = json::object();
  }
}

StateReader::StateReader(std::shared_ptr<Shared> shared, std::vector<std::string> path)
    : shared_(std::move(shared)), path_(std::move(path)) {}

std::string StateReader::name(std::string_view key) const {
  std::string out;
  for (const std::string& part : path_) out += part + ".";
  return out + std::string(key);
}

void StateReader::problem(std::string message) { shared_->problems.push_back(std::move(message)); }

StateReader StateReader::scope(std::string_view key) {
  const json* parent = object_at(shared_->root, path_);
  // A missing parent was reported already; a missing child is reported once, here.
  if (parent != nullptr) {
    const auto it = parent->find(key);
    if (it == parent->end() || !it->is_object()) {
      invalid(key, "must be a JSON object");
    }
  }
  std::vector<std::string> path = path_;
  path.emplace_back(key);
  return StateReader(shared_, std::move(path));
}

bool StateReader::has(std::string_view key) const {
  const json* parent = object_at(shared_->root, path_);
  if (parent == nullptr) return false;
  const auto it = parent->find(key);
  return it != parent->end() && !it->is_null();
}

const json* StateReader::field(std::string_view key) {
  const json* parent = object_at(shared_->root, path_);
  if (parent == nullptr) return nullptr;
  const auto it = parent->find(key);
  if (it == parent->end()) {
    problem(fmt::format("missing '{}'", name(key)));
    return nullptr;
  }
  return &*it;
}

std::optional<std::uint64_t> StateReader::integer(std::string_view key) {
  const json* value = field(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_unsigned()) {
    invalid(key, "must be a non-negative integer");
    return std::nullopt;
  }
  return value->get<std::uint64_t>();
}

void StateReader::integer(std::string_view key, std::int64_t& out) {
  const auto value = integer(key);
  if (!value) return;
  if (*value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    invalid(key, "is too large");
    return;
  }
  defer([&out, v = static_cast<std::int64_t>(*value)] { out = v; });
}

std::optional<double> StateReader::number(std::string_view key) {
  const json* value = field(key);
  if (value == nullptr) return std::nullopt;
  const std::optional<double> number = as_number(*value);
  if (!number) invalid(key, "must be a number");
  return number;
}

void StateReader::number(std::string_view key, double& out) {
  if (const auto value = number(key)) defer([&out, v = *value] { out = v; });
}

std::optional<std::string> StateReader::text(std::string_view key) {
  const json* value = field(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    invalid(key, "must be a string");
    return std::nullopt;
  }
  return value->get<std::string>();
}

void StateReader::flag(std::string_view key, bool& out) {
  const json* value = field(key);
  if (value == nullptr) return;
  if (!value->is_boolean()) {
    invalid(key, "must be true or false");
    return;
  }
  defer([&out, v = value->get<bool>()] { out = v; });
}

std::optional<std::vector<double>> StateReader::numbers(std::string_view key) {
  const json* value = field(key);
  if (value == nullptr) return std::nullopt;
  std::vector<double> out;
  if (value->is_array()) {
    for (const json& item : *value) {
      const std::optional<double> number = as_number(item);
      if (!number) break;
      out.push_back(*number);
    }
  }
  if (!value->is_array() || out.size() != value->size()) {
    invalid(key, "must be a list of numbers");
    return std::nullopt;
  }
  return out;
}

void StateReader::numbers(std::string_view key, std::span<double> out) {
  auto values = numbers(key);
  if (!values) return;
  if (values->size() != out.size()) {
    invalid(key, fmt::format("has {} values, expected {}", values->size(), out.size()));
    return;
  }
  defer([out, v = std::move(*values)] { std::copy(v.begin(), v.end(), out.begin()); });
}

void StateReader::flags(std::string_view key, std::span<std::uint8_t> out) {
  const json* value = field(key);
  if (value == nullptr) return;
  std::vector<std::uint8_t> flags;
  if (value->is_array()) {
    for (const json& item : *value) {
      if (!item.is_boolean()) break;
      flags.push_back(item.get<bool>() ? 1 : 0);
    }
  }
  if (!value->is_array() || flags.size() != value->size() || flags.size() != out.size()) {
    invalid(key, fmt::format("must be a list of {} booleans", out.size()));
    return;
  }
  defer([out, v = std::move(flags)] { std::copy(v.begin(), v.end(), out.begin()); });
}

void StateReader::generator(std::string_view key, core::Generator& out) {
  StateReader in = scope(key);
  bool valid = true;
  const auto must_be = [&](std::string_view field, std::string_view what) {
    in.invalid(field, fmt::format("must be {}", what));
    valid = false;
  };
  const json* kind = in.field("bit_generator");
  if (kind != nullptr && *kind != "PCG64") must_be("bit_generator", "\"PCG64\"");
  std::array<core::Uint128, 2> words = {};
  for (std::size_t k = 0; k < words.size(); ++k) {
    const char* word = k == 0 ? "state" : "inc";
    const json* text = in.field(word);
    const auto parsed = text != nullptr && text->is_string()
                            ? parse_hex128(text->get<std::string>())
                            : std::nullopt;
    if (parsed) {
      words[k] = *parsed;
    } else if (text != nullptr) {
      must_be(word, "a 128-bit hex number \"0x…\"");
    }
    valid = valid && text != nullptr;
  }
  if (valid && (words[1] & 1) == 0) must_be("inc", "odd (a PCG64 increment)");
  const auto has_uint32 = in.integer("has_uint32");
  if (has_uint32 && *has_uint32 > 1) must_be("has_uint32", "0 or 1");
  const auto uinteger = in.integer("uinteger");
  if (uinteger && *uinteger > std::numeric_limits<std::uint32_t>::max()) {
    must_be("uinteger", "a 32-bit integer");
  }
  if (!valid || !has_uint32 || !uinteger || !kind) return;
  defer([&out, bits = core::Pcg64(words[0], words[1], *has_uint32 == 1,
                                  static_cast<std::uint32_t>(*uinteger))] {
    out.bit_generator() = bits;
  });
}

void StateReader::window(std::string_view key, RollingMean& out) {
  auto values = numbers(key);
  if (!values) return;
  if (values->size() > out.capacity()) {
    invalid(key, fmt::format("has {} values, more than the window's {}", values->size(),
                             out.capacity()));
    return;
  }
  defer([&out, v = std::move(*values)] {
    RollingMean restored(out.capacity());
    for (double value : v) restored.add(value);
    out = std::move(restored);
  });
}

void StateReader::progress(std::string_view key, LearnProgress& out) {
  StateReader in = scope(key);
  in.integer("steps", out.steps);
  in.integer("episodes", out.episodes);
  in.number("recent_return_mean", out.recent_return_mean);
  const json* metrics = in.field("metrics");
  if (metrics == nullptr) return;
  std::vector<std::pair<std::string, double>> values;
  if (metrics->is_object()) {
    for (const auto& [metric, value] : metrics->items()) {
      const std::optional<double> number = as_number(value);
      if (!number) break;
      values.emplace_back(metric, *number);
    }
  }
  if (!metrics->is_object() || values.size() != metrics->size()) {
    in.invalid("metrics", "must be an object of numbers");
    return;
  }
  defer([&out, v = std::move(values)] {
    for (const auto& [metric, value] : v) out.metrics[metric] = value;
  });
}

void StateReader::noise(std::string_view key, ActionNoise& out) {
  auto values = numbers(key);
  if (!values) return;
  if (values->size() != out.state().size()) {
    invalid(key, fmt::format("has {} values, expected {} (n_envs x action size)", values->size(),
                             out.state().size()));
    return;
  }
  defer([&out, v = std::move(*values)] { out.restore(v); });
}

const nn::StoredTensor* StateReader::claim(const std::string& tensor_name,
                                           const std::vector<std::int64_t>& shape,
                                           nn::DType dtype) {
  for (std::size_t k = 0; k < shared_->tensors.size(); ++k) {
    const nn::StoredTensor& tensor = shared_->tensors[k];
    if (tensor.name != tensor_name) continue;
    shared_->claimed[k] = true;
    if (tensor.shape != shape) {
      problem(fmt::format("tensor '{}': expected shape {}, the state has {}", tensor_name,
                          nn::shape_to_string(shape), nn::shape_to_string(tensor.shape)));
      return nullptr;
    }
    if (tensor.dtype() != dtype) {
      problem(fmt::format("tensor '{}' is {}, expected {}", tensor_name,
                          nn::dtype_name(tensor.dtype()), nn::dtype_name(dtype)));
      return nullptr;
    }
    return &tensor;
  }
  problem(fmt::format("missing tensor '{}' (expected shape {})", tensor_name,
                      nn::shape_to_string(shape)));
  return nullptr;
}

template <typename Optimizer>
void StateReader::read_optimizer(std::string_view key, Optimizer& out) {
  StateReader in = scope(key);
  const auto step = in.integer("step");
  const auto lr = in.number("lr");
  std::vector<const nn::StoredTensor*> moments;
  bool complete = true;
  for (const auto& moment : std::as_const(out).state()) {
    moments.push_back(claim(kOptimizerTensorPrefix + moment.name,
                            moment_shape(moment.value.rows(), moment.value.cols()),
                            nn::DType::kF32));
    complete = complete && moments.back() != nullptr;
  }
  if (!step || !lr || !complete) return;
  defer([&out, moments, steps = static_cast<std::int64_t>(*step), lr = *lr] {
    std::vector<nn::NamedTensor<float>> state = out.state();
    for (std::size_t k = 0; k < state.size(); ++k) {
      nn::MatrixMap<float>& value = state[k].value;
      value = nn::ConstMatrixMap<float>(moments[k]->f32()->data(), value.cols(), value.rows())
                  .transpose();
    }
    out.set_step_count(steps);
    out.set_lr(lr);
  });
}

void StateReader::rollout(std::string_view key, RolloutBuffer& out) {
  const auto steps = integer(key);
  if (!steps) return;
  const RolloutBufferOptions& o = out.options();
  if (*steps >= static_cast<std::uint64_t>(o.n_steps)) {
    invalid(key, fmt::format("is {}, but a rollout in progress has fewer than n_steps = {}", *steps,
                             o.n_steps));
    return;
  }
  const int k = static_cast<int>(*steps);
  if (k == 0) {
    defer([&out] { out.reset(); });
    return;
  }
  const auto tensor = [&](const char* field, std::size_t width, nn::DType dtype) {
    return claim(kRolloutTensorPrefix + std::string(field), rollout_shape(k, o.n_envs, width),
                 dtype);
  };
  const nn::StoredTensor* observations =
      tensor("observations", o.observation_size, nn::DType::kF32);
  const nn::StoredTensor* actions = o.discrete_actions
                                        ? tensor("actions", 0, nn::DType::kF64)
                                        : tensor("actions", o.action_size, nn::DType::kF32);
  std::array<const nn::StoredTensor*, kRolloutScalars.size()> scalars = {};
  for (std::size_t c = 0; c < scalars.size(); ++c) {
    scalars[c] = tensor(kRolloutScalars[c], 0, nn::DType::kF32);
  }
  if (observations == nullptr || actions == nullptr ||
      std::find(scalars.begin(), scalars.end(), nullptr) != scalars.end()) {
    return;
  }
  if (o.discrete_actions) {
    for (double action : *actions->f64()) {
      if (!(action >= 0) || std::floor(action) != action) {
        problem(fmt::format("tensor 'rollout.actions' holds {}, not an action index", action));
        return;
      }
    }
  }
  defer([&out, k, observations, actions, scalars] {
    restore_rollout(out, k, *observations, *actions, scalars);
  });
}

void StateReader::optimizer(std::string_view key, nn::Adam<float>& out) {
  read_optimizer(key, out);
}

void StateReader::optimizer(std::string_view key, nn::Rmsprop<float>& out) {
  read_optimizer(key, out);
}

void StateReader::invalid(std::string_view key, std::string_view message) {
  problem(fmt::format("'{}' {}", name(key), message));
}

void StateReader::defer(std::function<void()> assign) {
  shared_->assignments.push_back(std::move(assign));
}

core::Status StateReader::apply() {
  for (std::size_t k = 0; k < shared_->tensors.size(); ++k) {
    if (!shared_->claimed[k]) {
      problem(fmt::format("unexpected tensor '{}'", shared_->tensors[k].name));
    }
  }
  if (!shared_->problems.empty()) {
    return core::invalid_argument(
        fmt::format("training state: {}", fmt::join(shared_->problems, "; ")));
  }
  for (const std::function<void()>& assign : shared_->assignments) assign();
  shared_->assignments.clear();
  return {};
}

}  // namespace tars::rl
