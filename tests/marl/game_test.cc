#include "tars/marl/game.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tars::marl {
namespace {

// The error message of parsing `text`, which must fail.
std::string parse_error(const std::string& text) {
  auto game = parse_game(text);
  EXPECT_FALSE(game.ok()) << text;
  return game.ok() ? std::string() : game.status().message();
}

TEST(GameTest, ParsesABimatrixGame) {
  auto game = parse_game(R"({"payoffs": [[[3, 0, 1], [0, 2, 1]], [[2, 0, 5], [0, 3, -1.5]]]})");
  ASSERT_TRUE(game.ok()) << game.status().message();
  EXPECT_EQ(game->players(), 2u);
  EXPECT_EQ(game->actions(0), 2u);
  EXPECT_EQ(game->actions(1), 3u);
  EXPECT_EQ(game->joint_actions(), 6u);
  const std::vector<std::size_t> joint = {1, 2};
  EXPECT_EQ(game->index(joint), 5u);
  EXPECT_EQ(game->payoff(0, joint), 1.0);
  EXPECT_EQ(game->payoff(1, joint), -1.5);
  EXPECT_EQ(game->stride(0), 3u);
  EXPECT_EQ(game->stride(1), 1u);
  EXPECT_EQ(game->max_abs_payoff(), 5.0);
  EXPECT_EQ(game->payoff_range(), 6.5);
}

TEST(GameTest, ParsesAThreePlayerGameRowMajor) {
  // Player p's payoff at (a0, a1, a2) is 100 p + 10 a0 + ... : easy to check the layout.
  std::string tensors;
  for (int p = 0; p < 3; ++p) {
    std::string tensor = "[";
    for (int a0 = 0; a0 < 2; ++a0) {
      tensor += a0 ? ", [" : "[";
      for (int a1 = 0; a1 < 3; ++a1) {
        tensor += a1 ? ", [" : "[";
        for (int a2 = 0; a2 < 2; ++a2) {
          tensor += (a2 ? ", " : "") + std::to_string(100 * p + 10 * a0 + 3 * a1 + a2);
        }
        tensor += "]";
      }
      tensor += "]";
    }
    tensors += (p ? ", " : "") + tensor + "]";
  }
  auto game = parse_game(R"({"payoffs": [)" + tensors + "]}");
  ASSERT_TRUE(game.ok()) << game.status().message();
  EXPECT_EQ(game->action_counts(), (std::vector<std::size_t>{2, 3, 2}));
  const std::vector<std::size_t> joint = {1, 2, 1};
  EXPECT_EQ(game->payoff(2, joint), 200 + 10 + 6 + 1);
  EXPECT_EQ(game->index(joint), 1u * 6 + 2 * 2 + 1);
}

TEST(GameTest, RejectsMalformedGamesNamingTheProblem) {
  EXPECT_EQ(parse_error(R"({"payoffs": [[[1, 2], [3, 4]], [[1, 2], [3, 4], [5, 6]]]})"),
            "payoffs[1] has 3 entries, expected 2");
  EXPECT_EQ(parse_error(R"({"payoffs": [[[1, 2], [3, 4]], [[1, 2], [3]]]})"),
            "payoffs[1][1] has 1 entries, expected 2");
  EXPECT_EQ(parse_error(R"({"payoffs": [[[1, 2], [3, "4"]], [[1, 2], [3, 4]]]})"),
            "payoffs[0][1][1] is a string, expected a number (a game of 2 players has 2 nested "
            "arrays per payoff tensor)");
  EXPECT_EQ(parse_error(R"({"payoffs": [[[1, 2], [3, null]], [[1, 2], [3, 4]]]})").substr(0, 31),
            "payoffs[0][1][1] is null, expec");
  EXPECT_NE(parse_error(R"({"payoffs": [[[1, 2], [3, 1e999]], [[1, 2], [3, 4]]]})")
                .find("number overflow parsing '1e999'"),
            std::string::npos);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto built = game_from_json({{"payoffs", {{{1, 2}, {3, nan}}, {{1, 2}, {3, 4}}}}});
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.status().message(), "payoffs[0][1][1] is not finite");
  EXPECT_EQ(parse_error(R"({"payoffs": [[[1, 2]]]})"),
            "payoffs must be an array with one payoff tensor per player (at least 2)");
  EXPECT_EQ(parse_error(R"({"payoffs": [[], []]})"),
            "payoffs[0] is empty: player 0 needs at least one action");
  EXPECT_EQ(parse_error(R"({"payoffs": [[[]], [[]]]})"),
            "payoffs[0][0] is empty: player 1 needs at least one action");
  EXPECT_EQ(parse_error(R"({"payoffs": [[1, 2], [3, 4]]})"),
            "payoffs[0][0] is a number, expected an array of player 1's actions (a game of 2 "
            "players has 2 nested arrays per payoff tensor)");
  EXPECT_EQ(parse_error(R"({"payoffs": [[[[1]]], [[[1]]]]})").substr(0, 40),
            "payoffs[0][0][0] is an array, expected a");
  EXPECT_EQ(parse_error(R"({"payof": []})"), "unknown key 'payof' in the game (expected: payoffs)");
  EXPECT_EQ(parse_error("{}"), "the game has no 'payoffs'");
  EXPECT_EQ(parse_error("[1, 2]"), "a game must be a JSON object");
  EXPECT_NE(parse_error(R"({"payoffs": [)").find("the game is not valid JSON"), std::string::npos);
}

TEST(GameTest, BoundsTheNumberOfJointActions) {
  // 1001 x 1000 joint actions: the shape (read along the first entries) is refused before the
  // rest is read.
  nlohmann::json tensor = nlohmann::json::array();
  tensor.push_back(std::vector<double>(1000, 0.0));
  for (int i = 0; i < 1000; ++i) tensor.push_back(nlohmann::json::array());
  auto game = game_from_json({{"payoffs", {tensor, tensor}}});
  ASSERT_FALSE(game.ok());
  EXPECT_EQ(game.status().code(), core::ErrorCode::kOutOfRange);
  EXPECT_EQ(game.status().message(), "the game has more than 1000000 joint actions");
  // 1000 x 1000 passes the bound; then the ragged rows are named.
  tensor.erase(tensor.size() - 1);
  auto ragged = game_from_json({{"payoffs", {tensor, tensor}}});
  ASSERT_FALSE(ragged.ok());
  EXPECT_EQ(ragged.status().message(), "payoffs[0][1] has 0 entries, expected 1000");
}

TEST(GameTest, CreateValidatesSizesAndValues) {
  auto one_player = NormalFormGame::create({2}, {{1, 2}});
  ASSERT_FALSE(one_player.ok());
  EXPECT_EQ(one_player.status().message(), "a game needs at least 2 players, got 1");
  auto no_actions = NormalFormGame::create({2, 0}, {{}, {}});
  ASSERT_FALSE(no_actions.ok());
  EXPECT_EQ(no_actions.status().message(), "player 1 has no actions");
  auto short_tensor = NormalFormGame::create({2, 2}, {{1, 2, 3, 4}, {1, 2, 3}});
  ASSERT_FALSE(short_tensor.ok());
  EXPECT_EQ(short_tensor.status().message(), "player 1 has 3 payoffs, expected 4");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto not_finite = NormalFormGame::create({2, 1}, {{1, nan}, {1, 2}});
  ASSERT_FALSE(not_finite.ok());
  EXPECT_EQ(not_finite.status().message(), "player 0's payoff for joint action 1 is not finite");
  auto ragged = NormalFormGame::bimatrix({{1, 2}, {3}}, {{1, 2}, {3, 4}});
  ASSERT_FALSE(ragged.ok());
  EXPECT_EQ(ragged.status().message(), "player 0's row 1 has 1 entries, expected 2");
}

}  // namespace
}  // namespace tars::marl
