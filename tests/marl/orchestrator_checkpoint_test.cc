// Team checkpoints (Orchestrator::save / load, saved_team_options): a team saved after K episodes
// and resumed in a new orchestrator acts as the saved one, continues its training bit for bit and
// its statistics, and mismatches are refused by name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "tars/marl/orchestrator.h"
#include "temp_dir.h"

namespace tars::marl {
namespace {

using tars::test::TempDir;
using ::testing::HasSubstr;

constexpr int kEpisodeLength = 20;

// Short episodes, and warm-ups short enough that every agent has learnt before the save: DQN and
// DDPG after 20 steps, PPO every 32 (so a rollout is in progress at each episode boundary).
OrchestratorOptions options(std::uint64_t seed) {
  OrchestratorOptions out;
  out.seed = seed;
  out.sim.episode_length = kEpisodeLength;
  out.hyperparameters[0] = {{"learning_starts", "20"}, {"batch_size", "16"}};
  out.hyperparameters[2] = {{"n_steps", "32"}, {"batch_size", "16"}};
  out.hyperparameters[3] = {{"learning_starts", "20"}, {"batch_size", "16"}};
  return out;
}

std::unique_ptr<Orchestrator> make(const OrchestratorOptions& o) {
  auto orchestrator = Orchestrator::create(o);
  EXPECT_TRUE(orchestrator.ok()) << orchestrator.status().to_string();
  return std::move(*orchestrator);
}

void run_episodes(Orchestrator& orchestrator, int episodes) {
  for (int t = 0; t < episodes * kEpisodeLength; ++t) ASSERT_TRUE(orchestrator.step().ok());
}

std::unique_ptr<Orchestrator> resume(const std::filesystem::path& dir) {
  auto saved = saved_team_options(dir, OrchestratorOptions{});
  EXPECT_TRUE(saved.ok()) << saved.status().to_string();
  std::unique_ptr<Orchestrator> orchestrator = make(*saved);
  const core::Status loaded = orchestrator->load(dir);
  EXPECT_TRUE(loaded.ok()) << loaded.to_string();
  return orchestrator;
}

std::string resume_error(const std::filesystem::path& dir) {
  auto saved = saved_team_options(dir, OrchestratorOptions{});
  if (!saved.ok()) return saved.status().message();
  return make(*saved)->load(dir).message();
}

void edit_json(const std::filesystem::path& path,
               const std::function<void(nlohmann::json&)>& edit) {
  std::ifstream in(path);
  nlohmann::json root = nlohmann::json::parse(in);
  edit(root);
  std::ofstream(path, std::ios::trunc) << root.dump();
}

TEST(OrchestratorCheckpoint, ResumedTeamActsAndLearnsAsTheSavedOne) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::unique_ptr<Orchestrator> saved = make(options(2));
  run_episodes(*saved, 3);
  ASSERT_TRUE(saved->save(dir.path(), /*replay_buffers=*/true).ok());
  for (const char* file : {"team.json", "policy/replay_buffer.safetensors",
                           "resource/replay_buffer.safetensors", "ethical/model.safetensors"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.path() / file)) << file;
  }
  std::unique_ptr<Orchestrator> resumed = resume(dir.path());

  // The settings come from team.json; the statistics continue.
  EXPECT_EQ(resumed->metrics().episodes, 3);
  EXPECT_EQ(resumed->metrics().steps, 3 * kEpisodeLength);
  EXPECT_EQ(resumed->metrics().global_reward_mean, saved->metrics().global_reward_mean);
  for (std::size_t i = 0; i < env::kOpsNumAgents; ++i) {
    const auto agent = static_cast<env::OpsAgent>(i);
    EXPECT_EQ(resumed->agent(agent).episode, 3);
    EXPECT_EQ(resumed->agent(agent).reward_mean_10, saved->agent(agent).reward_mean_10);
    EXPECT_EQ(resumed->agent(agent).metrics, saved->agent(agent).metrics);
    EXPECT_EQ(resumed->hyperparameters(agent).as_text(), saved->hyperparameters(agent).as_text());
  }

  // Acting on the same observations (deterministically, not learning), then learning on: the
  // same actions, rewards and statistics at every step.
  auto acted_saved = saved->evaluate({100, 101});
  auto acted_resumed = resumed->evaluate({100, 101});
  ASSERT_TRUE(acted_saved.ok() && acted_resumed.ok());
  EXPECT_EQ(acted_saved->episode_returns, acted_resumed->episode_returns);
  for (int t = 0; t < 2 * kEpisodeLength; ++t) {
    auto x = saved->step();
    auto y = resumed->step();
    ASSERT_TRUE(x.ok() && y.ok());
    ASSERT_EQ(x->coordination.choice, y->coordination.choice) << "step " << t;
    ASSERT_EQ(x->rewards, y->rewards) << "step " << t;
    ASSERT_EQ(x->global_reward, y->global_reward) << "step " << t;
  }
  EXPECT_EQ(resumed->metrics().episodes, 5);
  for (std::size_t i = 0; i < env::kOpsNumAgents; ++i) {
    const auto agent = static_cast<env::OpsAgent>(i);
    EXPECT_EQ(resumed->agent(agent).metrics, saved->agent(agent).metrics);
    EXPECT_EQ(resumed->agent(agent).reward_mean_100, saved->agent(agent).reward_mean_100);
  }
}

TEST(OrchestratorCheckpoint, RefusesMidEpisodeSavesAndMismatchesByName) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::unique_ptr<Orchestrator> saved = make(options(2));
  run_episodes(*saved, 1);
  ASSERT_TRUE(saved->step().ok());
  EXPECT_THAT(saved->save(dir.path(), false).message(),
              HasSubstr("between episodes only: episode 1 has run 1 steps"));
  for (int t = 1; t < kEpisodeLength; ++t) ASSERT_TRUE(saved->step().ok());
  ASSERT_TRUE(saved->save(dir.path(), false).ok());

  // Another seed than the saved team's.
  EXPECT_THAT(make(options(5))->load(dir.path()).message(),
              HasSubstr("team.json seed: the team was saved with 2, this orchestrator has 5"));
  // Another team reward share, and one out of range.
  OrchestratorOptions other_share = options(2);
  other_share.team_reward_share[3] = 0.25;
  EXPECT_THAT(make(other_share)->load(dir.path()).message(),
              HasSubstr("team.json team_reward_share: the team was saved with 0, 0.5, 0.5, 0.5, "
                        "this orchestrator has 0, 0.5, 0.5, 0.25"));
  edit_json(dir.path() / "team.json",
            [](nlohmann::json& root) { root["settings"]["team_reward_share"][2] = 1.5; });
  EXPECT_THAT(saved_team_options(dir.path(), OrchestratorOptions{}).status().message(),
              HasSubstr("'settings.team_reward_share' must hold one share in [0, 1] per agent"));
  edit_json(dir.path() / "team.json",
            [](nlohmann::json& root) { root["settings"]["team_reward_share"][2] = 0.5; });
  // A network of another shape.
  OrchestratorOptions medium = *saved_team_options(dir.path(), OrchestratorOptions{});
  medium.hyperparameters[0].emplace_back("net_arch", "medium");
  const std::string shape_error = make(medium)->load(dir.path()).message();
  EXPECT_THAT(shape_error, HasSubstr("agent policy: checkpoint does not match the model"));
  EXPECT_THAT(shape_error, HasSubstr("tensor 'q_net.layers.0.weight': expected shape [256, 32], "
                                     "checkpoint has [64, 32]"));
  // Another algorithm in an agent's directory.
  edit_json(dir.path() / "consensus" / "checkpoint.json",
            [](nlohmann::json& root) { root["algorithm"] = "ppo"; });
  EXPECT_THAT(
      saved_team_options(dir.path(), OrchestratorOptions{}).status().message(),
      HasSubstr("agent consensus: the checkpoint is ppo on ops_sim/consensus, expected a2c"));
  // A corrupt team.json names the field.
  edit_json(dir.path() / "team.json", [](nlohmann::json& root) { root["state"]["episodes"] = -1; });
  edit_json(dir.path() / "consensus" / "checkpoint.json",
            [](nlohmann::json& root) { root["algorithm"] = "a2c"; });
  EXPECT_THAT(resume_error(dir.path()),
              HasSubstr("'state.episodes' must be a non-negative integer"));
  std::filesystem::remove(dir.path() / "team.json");
  EXPECT_THAT(saved_team_options(dir.path(), OrchestratorOptions{}).status().message(),
              HasSubstr("team.json"));
}

}  // namespace
}  // namespace tars::marl
