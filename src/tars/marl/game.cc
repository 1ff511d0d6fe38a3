#include "tars/marl/game.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

namespace tars::marl {
namespace {

using core::Expected;
using core::Status;
using nlohmann::json;

// "a number", "an array", "null", ... for error messages.
std::string describe(const json& node) {
  if (node.is_null()) return "null";
  const std::string name = node.type_name();
  return (name == "array" || name == "object" ? "an " : "a ") + name;
}

// Product of `counts`, or an error when a count is zero or the product exceeds kMaxJointActions.
Expected<std::size_t> count_joint_actions(const std::vector<std::size_t>& counts) {
  std::size_t product = 1;
  for (std::size_t p = 0; p < counts.size(); ++p) {
    if (counts[p] == 0) return core::invalid_argument(fmt::format("player {} has no actions", p));
    if (product > kMaxJointActions / counts[p]) {
      return core::out_of_range(
          fmt::format("the game has more than {} joint actions", kMaxJointActions));
    }
    product *= counts[p];
  }
  return product;
}

// The action counts, read along the first entry of every dimension of player 0's tensor.
Expected<std::vector<std::size_t>> tensor_shape(const json& tensor, std::size_t players) {
  std::vector<std::size_t> shape;
  std::string path = "payoffs[0]";
  const json* node = &tensor;
  for (std::size_t player = 0; player < players; ++player) {
    if (!node->is_array()) {
      return core::invalid_argument(fmt::format(
          "{} is {}, expected an array of player {}'s actions (a game of {} players has {} "
          "nested arrays per payoff tensor)",
          path, describe(*node), player, players, players));
    }
    if (node->empty()) {
      return core::invalid_argument(
          fmt::format("{} is empty: player {} needs at least one action", path, player));
    }
    shape.push_back(node->size());
    node = &node->front();
    path += "[0]";
  }
  return shape;
}

// Appends the numbers of `node` (depth `depth` of a tensor of `shape`) to `out` in row-major
// order; `path` names `node` in error messages.
Status read_tensor(const json& node, std::size_t depth, const std::vector<std::size_t>& shape,
                   std::string& path, std::vector<double>& out) {
  if (depth == shape.size()) {
    if (!node.is_number()) {
      return core::invalid_argument(
          fmt::format("{} is {}, expected a number (a game of {} players has {} nested arrays per "
                      "payoff tensor)",
                      path, describe(node), shape.size(), shape.size()));
    }
    const double value = node.get<double>();
    if (!std::isfinite(value)) return core::invalid_argument(path + " is not finite");
    out.push_back(value);
    return {};
  }
  if (!node.is_array()) {
    return core::invalid_argument(fmt::format("{} is {}, expected an array of {} entries", path,
                                              describe(node), shape[depth]));
  }
  if (node.size() != shape[depth]) {
    return core::invalid_argument(
        fmt::format("{} has {} entries, expected {}", path, node.size(), shape[depth]));
  }
  const std::size_t path_length = path.size();
  for (std::size_t i = 0; i < node.size(); ++i) {
    path += fmt::format("[{}]", i);
    Status status = read_tensor(node[i], depth + 1, shape, path, out);
    if (!status.ok()) return status;
    path.resize(path_length);
  }
  return {};
}

}  // namespace

Expected<NormalFormGame> NormalFormGame::create(std::vector<std::size_t> action_counts,
                                                std::vector<std::vector<double>> payoffs) {
  if (action_counts.size() < 2) {
    return core::invalid_argument(
        fmt::format("a game needs at least 2 players, got {}", action_counts.size()));
  }
  if (action_counts.size() > kMaxPlayers) {
    return core::out_of_range(
        fmt::format("a game has at most {} players, got {}", kMaxPlayers, action_counts.size()));
  }
  auto joint_actions = count_joint_actions(action_counts);
  if (!joint_actions.ok()) return joint_actions.status();
  if (payoffs.size() != action_counts.size()) {
    return core::invalid_argument(
        fmt::format("{} payoff tensors for {} players", payoffs.size(), action_counts.size()));
  }
  NormalFormGame game;
  game.joint_actions_ = *joint_actions;
  game.payoffs_.reserve(game.joint_actions_ * payoffs.size());
  double low = payoffs[0].empty() ? 0.0 : payoffs[0][0];
  double high = low;
  for (std::size_t p = 0; p < payoffs.size(); ++p) {
    if (payoffs[p].size() != game.joint_actions_) {
      return core::invalid_argument(fmt::format("player {} has {} payoffs, expected {}", p,
                                                payoffs[p].size(), game.joint_actions_));
    }
    for (std::size_t j = 0; j < payoffs[p].size(); ++j) {
      const double value = payoffs[p][j];
      if (!std::isfinite(value)) {
        return core::invalid_argument(
            fmt::format("player {}'s payoff for joint action {} is not finite", p, j));
      }
      low = std::min(low, value);
      high = std::max(high, value);
    }
    game.payoffs_.insert(game.payoffs_.end(), payoffs[p].begin(), payoffs[p].end());
  }
  game.max_abs_payoff_ = std::max(std::abs(low), std::abs(high));
  game.payoff_range_ = high - low;
  game.strides_.assign(action_counts.size(), 1);
  for (std::size_t p = action_counts.size() - 1; p > 0; --p) {
    game.strides_[p - 1] = game.strides_[p] * action_counts[p];
  }
  game.action_counts_ = std::move(action_counts);
  return game;
}

Expected<NormalFormGame> NormalFormGame::bimatrix(const std::vector<std::vector<double>>& row,
                                                  const std::vector<std::vector<double>>& column) {
  if (row.empty() || row[0].empty()) {
    return core::invalid_argument("the row player's matrix is empty");
  }
  const std::size_t m = row.size();
  const std::size_t n = row[0].size();
  std::vector<std::vector<double>> payoffs(2);
  for (const auto* matrix : {&row, &column}) {
    const std::size_t player = matrix == &row ? 0 : 1;
    if (matrix->size() != m) {
      return core::invalid_argument(
          fmt::format("player {}'s matrix has {} rows, expected {}", player, matrix->size(), m));
    }
    for (std::size_t i = 0; i < m; ++i) {
      if ((*matrix)[i].size() != n) {
        return core::invalid_argument(fmt::format("player {}'s row {} has {} entries, expected {}",
                                                  player, i, (*matrix)[i].size(), n));
      }
      payoffs[player].insert(payoffs[player].end(), (*matrix)[i].begin(), (*matrix)[i].end());
    }
  }
  return create({m, n}, std::move(payoffs));
}

std::size_t NormalFormGame::index(std::span<const std::size_t> joint) const {
  std::size_t flat = 0;
  for (std::size_t p = 0; p < joint.size(); ++p) flat += joint[p] * strides_[p];
  return flat;
}

Expected<NormalFormGame> game_from_json(const json& game) {
  if (!game.is_object()) return core::invalid_argument("a game must be a JSON object");
  for (const auto& item : game.items()) {
    if (item.key() != "payoffs") {
      return core::invalid_argument(
          fmt::format("unknown key '{}' in the game (expected: payoffs)", item.key()));
    }
  }
  const auto found = game.find("payoffs");
  if (found == game.end()) return core::invalid_argument("the game has no 'payoffs'");
  const json& tensors = *found;
  if (!tensors.is_array() || tensors.size() < 2) {
    return core::invalid_argument(
        "payoffs must be an array with one payoff tensor per player (at least 2)");
  }
  if (tensors.size() > kMaxPlayers) {
    return core::out_of_range(
        fmt::format("a game has at most {} players, got {}", kMaxPlayers, tensors.size()));
  }
  auto shape = tensor_shape(tensors[0], tensors.size());
  if (!shape.ok()) return shape.status();
  auto joint_actions = count_joint_actions(*shape);
  if (!joint_actions.ok()) return joint_actions.status();
  std::vector<std::vector<double>> payoffs(tensors.size());
  for (std::size_t p = 0; p < tensors.size(); ++p) {
    payoffs[p].reserve(*joint_actions);
    std::string path = fmt::format("payoffs[{}]", p);
    Status status = read_tensor(tensors[p], 0, *shape, path, payoffs[p]);
    if (!status.ok()) return status;
  }
  return NormalFormGame::create(std::move(*shape), std::move(payoffs));
}

Expected<NormalFormGame> parse_game(std::string_view text) {
  json game;
  try {
    game = json::parse(text);
  } catch (const json::exception& error) {
    return core::invalid_argument(std::string("the game is not valid JSON: ") + error.what());
  }
  return game_from_json(game);
}

}  // namespace tars::marl
