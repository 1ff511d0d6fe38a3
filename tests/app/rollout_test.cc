#include "tars/app/rollout.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace tars::app {
namespace {

namespace fs = std::filesystem;

const fs::path kReferenceDir = fs::path(TARS_SHARED_DIR) / "reference" / "gymnasium";

std::vector<std::string> read_lines(std::istream& input) {
  std::vector<std::string> lines;
  for (std::string line; std::getline(input, line);) lines.push_back(line);
  return lines;
}

// The actions of a reference file, one JSON value per line: the input `tars env rollout` takes.
std::string actions_of(const std::vector<std::string>& reference_lines) {
  std::string actions;
  for (std::size_t i = 2; i < reference_lines.size(); ++i) {
    actions += nlohmann::json::parse(reference_lines[i])["action"].dump() + "\n";
  }
  return actions;
}

// Replaying a Gymnasium reference episode must print the same reset and step lines, byte for
// byte, so that `diff` against a Gymnasium trajectory is meaningful.
class RolloutReferenceTest : public testing::TestWithParam<std::string> {};

TEST_P(RolloutReferenceTest, PrintsTheReferenceLinesByteForByte) {
  std::ifstream file(kReferenceDir / GetParam());
  ASSERT_TRUE(file) << GetParam();
  const std::vector<std::string> reference = read_lines(file);
  const nlohmann::json header = nlohmann::json::parse(reference.at(0));

  std::istringstream action_stream(actions_of(reference));
  auto actions = read_actions(action_stream);
  ASSERT_TRUE(actions.ok()) << actions.status().to_string();
  RolloutRequest request{header["env"], {}, header["seed"].get<std::uint64_t>(), "test"};
  std::ostringstream out;
  auto unused = run_rollout(request, *actions, out);
  ASSERT_TRUE(unused.ok()) << unused.status().to_string();
  EXPECT_EQ(*unused, 0u);

  std::istringstream printed(out.str());
  const std::vector<std::string> lines = read_lines(printed);
  ASSERT_EQ(lines.size(), reference.size());
  EXPECT_EQ(nlohmann::json::parse(lines[0])["env"], header["env"]);
  for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_EQ(lines[i], reference[i]) << "line " << i;
}

INSTANTIATE_TEST_SUITE_P(Gymnasium, RolloutReferenceTest,
                         testing::Values("CartPole-v1_seed0.jsonl", "CartPole-v1_seed3.jsonl",
                                         "MountainCar-v0_seed1.jsonl"));

TEST(RolloutTest, StopsAtTheEndOfTheEpisodeAndCountsUnusedActions) {
  std::string actions;
  for (int i = 0; i < 100; ++i) actions += "1\n";
  std::istringstream action_stream(actions);
  auto parsed = read_actions(action_stream);
  ASSERT_TRUE(parsed.ok());
  std::ostringstream out;
  auto unused = run_rollout({"CartPole-v1", {}, 0, "test"}, *parsed, out);
  ASSERT_TRUE(unused.ok());
  std::istringstream printed(out.str());
  const auto lines = read_lines(printed);
  EXPECT_GT(*unused, 0u);
  EXPECT_EQ(lines.size() - 2 + *unused, 100u);
  EXPECT_NE(lines.back().find(R"("terminated": true)"), std::string::npos);
}

TEST(RolloutTest, ActionErrorsNameTheLine) {
  std::istringstream bad_json("0\n\n1\n[0.5,\n");
  EXPECT_NE(read_actions(bad_json).status().message().find("line 4"), std::string::npos);

  std::istringstream not_a_number("0\n\"left\"\n");
  EXPECT_NE(read_actions(not_a_number).status().message().find("line 2"), std::string::npos);

  std::istringstream out_of_range("0\n1\n5\n");
  auto actions = read_actions(out_of_range);
  ASSERT_TRUE(actions.ok());
  std::ostringstream out;
  const core::Status status = run_rollout({"CartPole-v1", {}, 0, "test"}, *actions, out).status();
  EXPECT_NE(status.message().find("line 3"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("Discrete(2)"), std::string::npos) << status.message();

  std::istringstream box_for_discrete("[0.5]\n");
  actions = read_actions(box_for_discrete);
  ASSERT_TRUE(actions.ok());
  EXPECT_FALSE(run_rollout({"CartPole-v1", {}, 0, "test"}, *actions, out).ok());
}

TEST(RolloutTest, UnknownEnvironmentIsNotFound) {
  std::ostringstream out;
  const core::Status status = run_rollout({"CartPole-v9", {}, 0, "test"}, {}, out).status();
  EXPECT_EQ(status.code(), core::ErrorCode::kNotFound);
  EXPECT_NE(status.message().find("CartPole-v9"), std::string::npos);
}

}  // namespace
}  // namespace tars::app
