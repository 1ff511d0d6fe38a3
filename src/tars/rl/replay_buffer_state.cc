// ReplayBuffer and PrioritizedReplayBuffer to and from a checkpoint's replay_buffer.safetensors.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "tars/rl/prioritized_replay_buffer.h"
#include "tars/rl/replay_buffer.h"

namespace tars::rl {

namespace {

std::vector<std::int64_t> shape(std::size_t rows, std::size_t width = 0) {
  std::vector<std::int64_t> out = {static_cast<std::int64_t>(rows)};
  if (width > 0) out.push_back(static_cast<std::int64_t>(width));
  return out;
}

template <typename T>
std::vector<T> first(const std::vector<T>& values, std::size_t count) {
  return {values.begin(), values.begin() + static_cast<std::ptrdiff_t>(count)};
}

// Checks a replay file's metadata and tensors, collecting every problem.
class FileCheck {
 public:
  explicit FileCheck(const nn::SafetensorsFile& file) : file_(file) {}

  bool ok() const { return problems_.empty(); }
  void problem(std::string message) { problems_.push_back(std::move(message)); }
  core::Status status() const {
    return core::invalid_argument(fmt::format("replay buffer: {}", fmt::join(problems_, "; ")));
  }

  // The metadata entry `key` as a number of type T (0 after recording a problem).
  template <typename T>
  T value(const std::string& key) {
    const auto it = file_.metadata.find(key);
    T out{};
    if (it == file_.metadata.end()) {
      problem(fmt::format("missing metadata '{}'", key));
      return out;
    }
    const std::string& text = it->second;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (error != std::errc() || end != text.data() + text.size()) {
      problem(fmt::format("metadata '{}' is '{}', not a number", key, text));
    }
    return out;
  }

  // The tensor `name` with that shape and dtype, or nullptr after recording why not.
  const nn::StoredTensor* tensor(const std::string& name, const std::vector<std::int64_t>& shape,
                                 nn::DType dtype) {
    const nn::StoredTensor* found = file_.find(name);
    if (found == nullptr) {
      problem(fmt::format("missing tensor '{}'", name));
    } else if (found->shape != shape || found->dtype() != dtype) {
      problem(fmt::format("tensor '{}' is {} {}, expected {} {}", name,
                          nn::dtype_name(found->dtype()), nn::shape_to_string(found->shape),
                          nn::dtype_name(dtype), nn::shape_to_string(shape)));
      return nullptr;
    }
    return found;
  }

  // Every tensor of the file is one of `names`.
  void only(const std::vector<std::string>& names) {
    for (const nn::StoredTensor& tensor : file_.tensors) {
      if (std::find(names.begin(), names.end(), tensor.name) == names.end()) {
        problem(fmt::format("unexpected tensor '{}'", tensor.name));
      }
    }
  }

 private:
  const nn::SafetensorsFile& file_;
  std::vector<std::string> problems_;
};

}  // namespace

void ReplayBuffer::save(nn::SafetensorsFile& file) const {
  const std::size_t n = size_;
  const std::size_t obs = options_.observation_size;
  file.tensors.push_back({"observations", shape(n, obs), first(observations_, n * obs)});
  file.tensors.push_back({"next_observations", shape(n, obs), first(next_observations_, n * obs)});
  if (options_.discrete_actions) {
    // Action indices as float64, exact up to 2^53.
    const std::vector<std::int64_t> actions = first(discrete_actions_, n);
    file.tensors.push_back(
        {"actions", shape(n), std::vector<double>(actions.begin(), actions.end())});
  } else {
    file.tensors.push_back({"actions", shape(n, options_.action_size),
                            first(continuous_actions_, n * options_.action_size)});
  }
  file.tensors.push_back({"rewards", shape(n), first(rewards_, n)});
  file.tensors.push_back({"terminated", shape(n), first(terminated_, n)});
  file.metadata["capacity"] = std::to_string(options_.capacity);
  file.metadata["size"] = std::to_string(size_);
  file.metadata["position"] = std::to_string(position_);
  file.metadata["num_added"] = std::to_string(num_added_);
}

core::Status ReplayBuffer::load(const nn::SafetensorsFile& file,
                                const std::vector<std::string>& extra) {
  FileCheck check(file);
  const auto capacity = check.value<std::size_t>("capacity");
  const auto size = check.value<std::size_t>("size");
  const auto position = check.value<std::size_t>("position");
  const auto num_added = check.value<std::uint64_t>("num_added");
  if (!check.ok()) return check.status();
  if (capacity != options_.capacity) {
    check.problem(fmt::format("capacity {} differs from this buffer's {} (buffer_size)", capacity,
                              options_.capacity));
  } else if (size > capacity || position >= capacity || (size < capacity && position != size) ||
             num_added < size) {
    // A ring fills slot by slot from 0 and wraps only when full.
    check.problem(fmt::format("size {}, position {} and num_added {} are inconsistent", size,
                              position, num_added));
  }
  if (!check.ok()) return check.status();

  const std::size_t obs = options_.observation_size;
  const nn::StoredTensor* observations =
      check.tensor("observations", shape(size, obs), nn::DType::kF32);
  const nn::StoredTensor* next_observations =
      check.tensor("next_observations", shape(size, obs), nn::DType::kF32);
  const nn::StoredTensor* actions =
      options_.discrete_actions
          ? check.tensor("actions", shape(size), nn::DType::kF64)
          : check.tensor("actions", shape(size, options_.action_size), nn::DType::kF32);
  const nn::StoredTensor* rewards = check.tensor("rewards", shape(size), nn::DType::kF32);
  const nn::StoredTensor* terminated = check.tensor("terminated", shape(size), nn::DType::kF32);
  std::vector<std::string> names = {"observations", "next_observations", "actions", "rewards",
                                    "terminated"};
  names.insert(names.end(), extra.begin(), extra.end());
  check.only(names);
  if (actions != nullptr && options_.discrete_actions) {
    for (double action : *actions->f64()) {
      if (!(action >= 0) || std::floor(action) != action) {
        check.problem(fmt::format("tensor 'actions' holds {}, not an action index", action));
        break;
      }
    }
  }
  if (!check.ok()) return check.status();

  std::copy_n(observations->f32()->begin(), size * obs, observations_.begin());
  std::copy_n(next_observations->f32()->begin(), size * obs, next_observations_.begin());
  if (options_.discrete_actions) {
    std::transform(actions->f64()->begin(), actions->f64()->end(), discrete_actions_.begin(),
                   [](double action) { return static_cast<std::int64_t>(action); });
  } else {
    std::copy_n(actions->f32()->begin(), size * options_.action_size, continuous_actions_.begin());
  }
  std::copy_n(rewards->f32()->begin(), size, rewards_.begin());
  std::copy_n(terminated->f32()->begin(), size, terminated_.begin());
  position_ = position;
  size_ = size;
  num_added_ = num_added;
  return {};
}

void PrioritizedReplayBuffer::save(nn::SafetensorsFile& file) const {
  buffer_.save(file);
  std::vector<double> priorities(buffer_.size());
  for (std::size_t slot = 0; slot < priorities.size(); ++slot) priorities[slot] = tree_.get(slot);
  file.tensors.push_back({"priorities", shape(priorities.size()), std::move(priorities)});
  file.metadata["max_priority"] = fmt::format("{}", max_priority_);
}

core::Status PrioritizedReplayBuffer::load(const nn::SafetensorsFile& file) {
  FileCheck check(file);
  const auto size = check.value<std::size_t>("size");
  const auto max_priority = check.value<double>("max_priority");
  if (check.ok() && !(std::isfinite(max_priority) && max_priority > 0)) {
    check.problem(fmt::format("max_priority must be finite and > 0, got {}", max_priority));
  }
  if (check.ok() && size > capacity()) {
    check.problem(fmt::format("size {} exceeds the capacity {}", size, capacity()));
  }
  const nn::StoredTensor* priorities =
      check.ok() ? check.tensor("priorities", shape(size), nn::DType::kF64) : nullptr;
  if (priorities != nullptr) {
    for (double priority : *priorities->f64()) {
      if (!(std::isfinite(priority) && priority >= 0)) {
        check.problem(fmt::format("tensor 'priorities' holds {}", priority));
        break;
      }
    }
  }
  if (!check.ok()) return check.status();
  // The sum tree is a function of its leaves, so setting them rebuilds it exactly.
  SumTree tree(capacity());
  for (std::size_t slot = 0; slot < size; ++slot) tree.set(slot, (*priorities->f64())[slot]);
  if (core::Status status = buffer_.load(file, {"priorities"}); !status.ok()) return status;
  tree_ = std::move(tree);
  max_priority_ = max_priority;
  return {};
}

}  // namespace tars::rl
