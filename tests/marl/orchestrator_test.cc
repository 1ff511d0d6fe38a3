// The orchestrator: reproducible by seed, episodes of the configured length, live hyperparameter
// changes that keep the weights, external mode, and memory that stops growing.
#include "tars/marl/orchestrator.h"

#include <gtest/gtest.h>

#include "tars/marl/heuristic_team.h"

namespace tars::marl {
namespace {

OrchestratorOptions small(std::uint64_t seed) {
  OrchestratorOptions options;
  options.seed = seed;
  options.sim.episode_length = 25;
  return options;
}

std::unique_ptr<Orchestrator> make(const OrchestratorOptions& options) {
  auto orchestrator = Orchestrator::create(options);
  EXPECT_TRUE(orchestrator.ok()) << orchestrator.status().to_string();
  return std::move(*orchestrator);
}

TEST(Orchestrator, SameSeedSameTrajectory) {
  auto a = make(small(3));
  auto b = make(small(3));
  auto c = make(small(4));
  bool differs = false;
  for (int t = 0; t < 600; ++t) {  // past learning_starts and several PPO / A2C updates
    auto x = a->step();
    auto y = b->step();
    auto z = c->step();
    ASSERT_TRUE(x.ok() && y.ok() && z.ok()) << x.status().to_string();
    ASSERT_EQ(x->coordination.choice, y->coordination.choice) << "step " << t;
    ASSERT_EQ(x->rewards, y->rewards) << "step " << t;
    ASSERT_EQ(x->global_reward, y->global_reward);
    differs = differs || x->rewards != z->rewards;
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(a->agent(env::OpsAgent::kResource).metrics, b->agent(env::OpsAgent::kResource).metrics);
}

TEST(Orchestrator, EpisodesEndAtTheirLengthAndReportEveryAgent) {
  auto orchestrator = make(small(0));
  std::vector<EpisodeSummary> episodes;
  orchestrator->on_episode([&](const EpisodeSummary& e) { episodes.push_back(e); });
  for (int t = 0; t < 75; ++t) ASSERT_TRUE(orchestrator->step().ok());
  ASSERT_EQ(episodes.size(), 3u);
  for (std::size_t e = 0; e < episodes.size(); ++e) {
    EXPECT_EQ(episodes[e].episode, static_cast<std::int64_t>(e));
    EXPECT_EQ(episodes[e].steps, 25);
    for (const AgentSnapshot& agent : episodes[e].agents) {
      EXPECT_EQ(agent.episode, static_cast<std::int64_t>(e + 1));
      EXPECT_EQ(agent.steps, static_cast<std::int64_t>(25 * (e + 1)));
    }
  }
  // ε decays once per episode (×0.995).
  EXPECT_NEAR(episodes[2].agents[0].metrics.at("epsilon"), 0.995 * 0.995 * 0.995, 1e-12);
  const OrchestratorMetrics metrics = orchestrator->metrics();
  EXPECT_EQ(metrics.steps, 75);
  EXPECT_EQ(metrics.episodes, 3);
  EXPECT_DOUBLE_EQ(metrics.nash_converged, 1.0);
}

TEST(Orchestrator, HotChangesApplyAndColdOnesAreRefusedWithoutLosingWeights) {
  auto orchestrator = make(small(0));
  for (int t = 0; t < 50; ++t) ASSERT_TRUE(orchestrator->step().ok());
  const AgentSnapshot before = orchestrator->agent(env::OpsAgent::kEthical);
  ASSERT_TRUE(orchestrator
                  ->set_hyperparameters(env::OpsAgent::kEthical,
                                        {{"learning_rate", "0.001"}, {"clip_range", "0.1"}})
                  .ok());
  EXPECT_EQ(orchestrator->hyperparameters(env::OpsAgent::kEthical).text("clip_range"), "0.1");
  const core::Status cold =
      orchestrator->set_hyperparameters(env::OpsAgent::kEthical, {{"net_arch", "small"}});
  EXPECT_EQ(cold.code(), core::ErrorCode::kFailedPrecondition);
  // Learning carries on from where it was.
  const AgentSnapshot after = orchestrator->agent(env::OpsAgent::kEthical);
  EXPECT_EQ(after.steps, before.steps);
  EXPECT_EQ(after.memory_bytes, before.memory_bytes);
  for (int t = 0; t < 10; ++t) ASSERT_TRUE(orchestrator->step().ok());
}

TEST(Orchestrator, ExternalModeLearnsFromTheReportedRewards) {
  auto orchestrator = make(small(0));
  Observations states;
  for (std::size_t i = 0; i < env::kOpsNumAgents; ++i) {
    states[i].assign(static_cast<std::size_t>(env::kOpsAgents[i].obs_dim), 0.25f);
  }
  for (int t = 0; t < 4; ++t) {
    auto report = orchestrator->external_step(states, {1.0, 2.0, 3.0, 4.0}, {});
    ASSERT_TRUE(report.ok()) << report.status().to_string();
  }
  // While an external episode runs, ops_sim is not stepped.
  EXPECT_EQ(orchestrator->step().status().code(), core::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(orchestrator->end_external_episode({1.0, 2.0, 3.0, 4.0}, std::nullopt).ok());
  const AgentSnapshot resource = orchestrator->agent(env::OpsAgent::kResource);
  EXPECT_EQ(resource.steps, 4);
  EXPECT_DOUBLE_EQ(resource.last_episode_reward, 16.0);
  EXPECT_FALSE(orchestrator->end_external_episode({}, std::nullopt).ok());
  states[2].pop_back();
  auto wrong = orchestrator->external_step(states, {}, {});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("ethical"), std::string::npos);
}

// Agent i learns from (1 − β_i) · own reward + β_i · G. Two teams whose rewards differ but whose G
// is the same (each reward at its frozen mean) teach the consensus agent the same with β = 1, and
// differently with β < 1; another agent's β does not matter to it.
TEST(Orchestrator, AgentsLearnFromTheGlobalReward) {
  const auto scores_differ = [](const AgentValues& share) {
    OrchestratorOptions options = small(0);
    options.team_reward_share = share;
    const std::array<AgentValues, 2> rewards = {{{1.0, 2.0, 3.0, 4.0}, {-5.0, 7.0, 0.0, 9.0}}};
    std::array<std::unique_ptr<Orchestrator>, 2> teams;
    for (std::size_t k = 0; k < 2; ++k) {
      teams[k] = make(options);
      teams[k]->freeze_global_reward({.mean = rewards[k], .stddev = {1.0, 1.0, 1.0, 1.0}});
    }
    Observations states;
    for (std::size_t i = 0; i < env::kOpsNumAgents; ++i) {
      states[i].assign(static_cast<std::size_t>(env::kOpsAgents[i].obs_dim), 0.25f);
    }
    for (int t = 0; t < 40; ++t) {  // several A2C updates (8-step rollouts)
      auto a = teams[0]->external_step(states, rewards[0], {});
      auto b = teams[1]->external_step(states, rewards[1], {});
      if (!a.ok() || !b.ok()) {
        ADD_FAILURE() << a.status().to_string() << b.status().to_string();
        return false;
      }
      if (a->candidates[1].score != b->candidates[1].score) return true;
    }
    return false;
  };
  EXPECT_FALSE(scores_differ({1.0, 1.0, 1.0, 1.0}));
  EXPECT_FALSE(scores_differ({0.0, 1.0, 0.0, 0.0}));
  EXPECT_TRUE(scores_differ({1.0, 0.5, 1.0, 1.0}));
}

TEST(Orchestrator, BadHyperparameterOverridesNameTheAgent) {
  OrchestratorOptions options = small(0);
  options.hyperparameters[1] = {{"gamma", "2"}};
  auto orchestrator = Orchestrator::create(options);
  ASSERT_FALSE(orchestrator.ok());
  EXPECT_NE(orchestrator.status().message().find("consensus"), std::string::npos);
}

// The documented departures from T.A.R.S. 1.0 (README, "Orchestrator"): the consensus agent
// learns from each step's reward alone and explores more; the ethical agent looks ahead briefly.
TEST(Team, ConsensusAndEthicalUseShortHorizons) {
  auto team = make_team(0, {});
  ASSERT_TRUE(team.ok()) << team.status().to_string();
  const rl::Hyperparameters consensus = (*team)[1]->hyperparameters();
  EXPECT_EQ(consensus.number("gamma"), 0.0);
  EXPECT_EQ(consensus.number("ent_coef"), 0.05);
  EXPECT_EQ((*team)[2]->hyperparameters().number("gamma"), 0.5);
  EXPECT_EQ((*team)[3]->hyperparameters().number("gamma"), 0.99);
}

TEST(HeuristicTeam, StatisticsNormaliseItsOwnGlobalRewardToAboutZero) {
  auto run = run_heuristic_team(small(0).sim, {0, 1, 2}, {});
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->steps, 75);
  ASSERT_EQ(run->episode_global_rewards.size(), 3u);
  double mean = 0;
  for (double g : run->episode_global_rewards) mean += g / 3.0;
  // Weighted z-scores average 0 over the run; what is left are penalties and bonuses.
  EXPECT_LE(mean, 0.05 + 1e-9);
  EXPECT_GE(mean, -0.1 * 4 - 1e-9);
}

}  // namespace
}  // namespace tars::marl
