// ops_sim: the properties the orchestrator relies on (determinism, monotone effects of each
// agent's lever, conflicting rewards, delays, failures), validation, and the heuristic team.
#include "tars/env/ops_sim/ops_sim.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "tars/core/rng.h"
#include "tars/env/ops_sim/ops_sim_heuristic.h"

namespace tars::env {
namespace {

using Team = std::function<OpsSimAction(const OpsSim&)>;

OpsSim make_sim(const OpsSimConfig& config = {}) {
  auto sim = OpsSim::create(config);
  EXPECT_TRUE(sim.ok()) << sim.status().to_string();
  return std::move(*sim);
}

OpsSimAction random_action(core::Generator& rng) {
  OpsSimAction a;
  a.policy = static_cast<int>(rng.integers(0, kOpsPolicyActions));
  a.consensus = static_cast<int>(rng.integers(0, kOpsConsensusActions));
  a.ethical = static_cast<int>(rng.integers(0, kOpsEthicalActions));
  a.resource = static_cast<float>(rng.random());
  return a;
}

OpsSimAction fixed(int policy, int consensus, int ethical, float resource) {
  return OpsSimAction{policy, consensus, ethical, resource};
}

// Episode means of the metrics and rewards a test compares.
struct Averages {
  double latency_p95 = 0, cost = 0, slo_violation_rate = 0, throughput = 0, fairness = 0;
  double analytics_goodput_ratio = 0;
  std::array<double, kOpsNumAgents> rewards{};
  double total_reward = 0;  // sum over agents and steps, divided by the number of episodes
  int steps = 0;
};

Averages run(const Team& team, const std::vector<std::uint64_t>& seeds,
             const OpsSimConfig& config = {}) {
  OpsSim sim = make_sim(config);
  Averages avg;
  for (std::uint64_t seed : seeds) {
    sim.reset(seed);
    while (!sim.needs_reset()) {
      auto step = sim.step(team(sim));
      EXPECT_TRUE(step.ok()) << step.status().to_string();
      if (!step.ok()) return avg;
      const OpsSimMetrics& m = sim.metrics();
      avg.latency_p95 += m.latency_p95;
      avg.cost += m.cost;
      avg.slo_violation_rate += m.slo_violation_rate;
      avg.throughput += m.throughput;
      avg.fairness += m.fairness_index;
      avg.analytics_goodput_ratio += m.groups[3].goodput_ratio;
      for (int i = 0; i < kOpsNumAgents; ++i) {
        avg.rewards[i] += step->rewards[i];
        avg.total_reward += step->rewards[i];
      }
      ++avg.steps;
    }
  }
  const double n = avg.steps;
  for (double* v : {&avg.latency_p95, &avg.cost, &avg.slo_violation_rate, &avg.throughput,
                    &avg.fairness, &avg.analytics_goodput_ratio}) {
    *v /= n;
  }
  for (double& r : avg.rewards) r /= n;
  avg.total_reward /= static_cast<double>(seeds.size());
  return avg;
}

const std::vector<std::uint64_t> kSeeds = {0, 1, 2, 3, 4};

double reward(const OpsSimStep& step, OpsAgent agent) {
  return step.rewards[static_cast<int>(agent)];
}

// ---------------------------------------------------------------------------------------------

TEST(OpsSimTest, DeclaresTheFourAgents) {
  EXPECT_EQ(ops_agent_spec(OpsAgent::kPolicy).obs_dim, 32);
  EXPECT_EQ(ops_agent_spec(OpsAgent::kConsensus).obs_dim, 16);
  EXPECT_EQ(ops_agent_spec(OpsAgent::kEthical).obs_dim, 24);
  EXPECT_EQ(ops_agent_spec(OpsAgent::kResource).obs_dim, 20);
  EXPECT_EQ(ops_action_space(OpsAgent::kPolicy).describe(), "Discrete(10)");
  EXPECT_EQ(ops_action_space(OpsAgent::kConsensus).describe(), "Discrete(5)");
  EXPECT_EQ(ops_action_space(OpsAgent::kEthical).describe(), "Discrete(8)");
  EXPECT_EQ(ops_action_space(OpsAgent::kResource).describe(), "Box(0.0, 1.0, (1,), float32)");
  EXPECT_EQ(ops_observation_space(OpsAgent::kEthical).flat_size(), 24u);
  for (const auto& weights : kOpsFairnessWeights) {
    double sum = 0.0;
    for (double w : weights) sum += w;
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
}

TEST(OpsSimTest, ObservationsHaveTheDeclaredSizesAndStayFiniteInMinusOneToOne) {
  OpsSim sim = make_sim();
  core::Generator rng(11);
  auto check = [&](int step) {
    for (const OpsAgentSpec& spec : kOpsAgents) {
      std::span<const float> obs = sim.observation(spec.agent);
      ASSERT_EQ(obs.size(), static_cast<std::size_t>(spec.obs_dim)) << spec.name;
      for (std::size_t i = 0; i < obs.size(); ++i) {
        ASSERT_TRUE(std::isfinite(obs[i])) << spec.name << "[" << i << "] at step " << step;
        ASSERT_GE(obs[i], -1.0f) << spec.name << "[" << i << "] at step " << step;
        ASSERT_LE(obs[i], 1.0f) << spec.name << "[" << i << "] at step " << step;
      }
    }
  };
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    sim.reset(seed);
    check(0);
    while (!sim.needs_reset()) {
      auto step = sim.step(random_action(rng));
      ASSERT_TRUE(step.ok());
      check(sim.elapsed_steps());
      for (int i = 0; i < kOpsNumAgents; ++i) {
        ASSERT_TRUE(std::isfinite(step->rewards[i]));
        ASSERT_GE(step->rewards[i], -1.0);
        ASSERT_LE(step->rewards[i], 1.0);
      }
      EXPECT_LE(reward(*step, OpsAgent::kResource), 0.0);
      EXPECT_FALSE(step->terminated);
    }
  }
}

TEST(OpsSimTest, SameSeedSameTrajectoryOtherSeedOtherTrajectory) {
  auto trajectory = [](std::uint64_t seed) {
    OpsSim sim = make_sim();
    core::Generator rng(99);  // the same actions for every seed
    sim.reset(seed);
    std::vector<double> values;
    while (!sim.needs_reset()) {
      auto step = sim.step(random_action(rng));
      EXPECT_TRUE(step.ok());
      for (double r : step->rewards) values.push_back(r);
      for (const OpsAgentSpec& spec : kOpsAgents) {
        for (float x : sim.observation(spec.agent)) values.push_back(x);
      }
      const OpsSimMetrics& m = sim.metrics();
      values.insert(values.end(), {m.latency_p99, m.throughput, m.cost, m.fairness_index,
                                   static_cast<double>(m.healthy_nodes), m.consensus_latency});
    }
    return values;
  };
  const std::vector<double> a = trajectory(42);
  const std::vector<double> b = trajectory(42);
  const std::vector<double> c = trajectory(43);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << "value " << i;
  EXPECT_NE(a, c);
}

TEST(OpsSimTest, ResetRestartsTheEpisodeExactly) {
  OpsSim sim = make_sim();
  sim.reset(5);
  const std::vector<float> first(sim.observation(OpsAgent::kPolicy).begin(),
                                 sim.observation(OpsAgent::kPolicy).end());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(sim.step(OpsSimAction{}).ok());
  sim.reset(5);
  EXPECT_EQ(sim.elapsed_steps(), 0);
  const std::vector<float> again(sim.observation(OpsAgent::kPolicy).begin(),
                                 sim.observation(OpsAgent::kPolicy).end());
  EXPECT_EQ(first, again);
}

TEST(OpsSimTest, TruncatesAtEpisodeLengthAndRefusesToStepOutsideAnEpisode) {
  OpsSimConfig config;
  config.episode_length = 7;
  OpsSim sim = make_sim(config);
  auto before = sim.step(OpsSimAction{});
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(before.status().message().find("before the first reset"), std::string::npos);

  sim.reset(0);
  for (int i = 1; i <= 7; ++i) {
    auto step = sim.step(OpsSimAction{});
    ASSERT_TRUE(step.ok());
    EXPECT_EQ(step->truncated, i == 7) << "step " << i;
    EXPECT_FALSE(step->terminated);
    EXPECT_EQ(sim.metrics().step, i);
  }
  EXPECT_TRUE(sim.needs_reset());
  auto after = sim.step(OpsSimAction{});
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(after.status().message().find("truncated"), std::string::npos);
  sim.reset(1);
  EXPECT_TRUE(sim.step(OpsSimAction{}).ok());
}

TEST(OpsSimTest, RejectsActionsOutOfRangeNamingTheAgentAndValue) {
  OpsSim sim = make_sim();
  sim.reset(0);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const struct {
    OpsSimAction action;
    std::string expected;
  } cases[] = {
      {fixed(-1, 1, 1, 0.5f), "policy action must be an integer in [0, 9], got -1"},
      {fixed(10, 1, 1, 0.5f), "policy action must be an integer in [0, 9], got 10"},
      {fixed(7, 5, 1, 0.5f), "consensus action must be an integer in [0, 4], got 5"},
      {fixed(7, -3, 1, 0.5f), "consensus action must be an integer in [0, 4], got -3"},
      {fixed(7, 1, 8, 0.5f), "ethical action must be an integer in [0, 7], got 8"},
      {fixed(7, 1, 1, -0.01f), "resource action must be a number in [0, 1], got -0.01"},
      {fixed(7, 1, 1, 1.5f), "resource action must be a number in [0, 1], got 1.5"},
      {fixed(7, 1, 1, nan), "resource action must be a number in [0, 1], got nan"},
      {fixed(7, 1, 1, inf), "resource action must be a number in [0, 1], got inf"},
  };
  for (const auto& c : cases) {
    auto step = sim.step(c.action);
    ASSERT_FALSE(step.ok()) << c.expected;
    EXPECT_EQ(step.status().code(), core::ErrorCode::kInvalidArgument);
    EXPECT_NE(step.status().message().find(c.expected), std::string::npos)
        << step.status().message();
  }
  EXPECT_EQ(sim.elapsed_steps(), 0);  // nothing stepped
  EXPECT_TRUE(sim.step(fixed(0, 4, 7, 1.0f)).ok());
  EXPECT_TRUE(sim.step(fixed(9, 0, 0, 0.0f)).ok());
}

TEST(OpsSimTest, RejectsBadConfigsNamingTheField) {
  const struct {
    std::function<void(OpsSimConfig&)> change;
    std::string field;
  } cases[] = {
      {[](OpsSimConfig& c) { c.episode_length = 0; }, "episode_length"},
      {[](OpsSimConfig& c) { c.step_seconds = 0.0; }, "step_seconds"},
      {[](OpsSimConfig& c) { c.step_seconds = std::nan(""); }, "step_seconds"},
      {[](OpsSimConfig& c) { c.steps_per_day = 0; }, "steps_per_day"},
      {[](OpsSimConfig& c) { c.min_replicas = 0; }, "min_replicas"},
      {[](OpsSimConfig& c) { c.max_replicas = 1; }, "max_replicas"},
      {[](OpsSimConfig& c) { c.max_replicas = kOpsMaxReplicas + 1; }, "max_replicas"},
      {[](OpsSimConfig& c) { c.initial_replicas = 40; }, "initial_replicas"},
      {[](OpsSimConfig& c) { c.scaling_delay = -1; }, "scaling_delay"},
      {[](OpsSimConfig& c) { c.scaling_delay = kOpsMaxScalingDelay + 1; }, "scaling_delay"},
      {[](OpsSimConfig& c) { c.workers_per_replica = 0; }, "workers_per_replica"},
      {[](OpsSimConfig& c) { c.cost_per_replica_hour = -1.0; }, "cost_per_replica_hour"},
      {[](OpsSimConfig& c) { c.load_scale = 0.0; }, "load_scale"},
      {[](OpsSimConfig& c) { c.daily_amplitude = 1.0; }, "daily_amplitude"},
      {[](OpsSimConfig& c) { c.burst_probability = 1.5; }, "burst_probability"},
      {[](OpsSimConfig& c) { c.burst_decay = 1.0; }, "burst_decay"},
      {[](OpsSimConfig& c) { c.arrival_noise = -0.1; }, "arrival_noise"},
      {[](OpsSimConfig& c) { c.node_failure_probability = std::nan(""); },
       "node_failure_probability"},
      {[](OpsSimConfig& c) { c.repair_steps = 0; }, "repair_steps"},
      {[](OpsSimConfig& c) { c.write_fraction = 1.1; }, "write_fraction"},
  };
  EXPECT_TRUE(OpsSim::create().ok());
  for (const auto& c : cases) {
    OpsSimConfig config;
    c.change(config);
    auto sim = OpsSim::create(config);
    ASSERT_FALSE(sim.ok()) << c.field;
    EXPECT_EQ(sim.status().code(), core::ErrorCode::kInvalidArgument);
    EXPECT_NE(sim.status().message().find("ops_sim config: " + c.field + " must be"),
              std::string::npos)
        << sim.status().message();
  }
}

// ---------------------------------------------------------------------------------------------
// The four properties
// ---------------------------------------------------------------------------------------------

TEST(OpsSimTest, MoreReplicasLowerLatencyAndRaiseCost) {
  const Averages few = run([](const OpsSim&) { return fixed(7, 1, 1, 0.35f); }, kSeeds);
  const Averages many = run([](const OpsSim&) { return fixed(7, 1, 1, 0.9f); }, kSeeds);
  EXPECT_LT(many.latency_p95, 0.5 * few.latency_p95);
  EXPECT_LT(many.slo_violation_rate, few.slo_violation_rate);
  EXPECT_GT(many.cost, 1.5 * few.cost);
  // The cost is exactly replicas × price × step length.
  OpsSim sim = make_sim();
  sim.reset(3);
  ASSERT_TRUE(sim.step(OpsSimAction{}).ok());
  const OpsSimMetrics& m = sim.metrics();
  EXPECT_DOUBLE_EQ(m.cost, m.replicas_current * 0.5 * 300.0 / 3600.0);
}

TEST(OpsSimTest, AdmittingNothingRemovesSloViolationsAndThroughput) {
  OpsSimConfig config;
  config.initial_replicas = 6;  // overloaded, so admitting everything does violate SLOs
  OpsSim sim = make_sim(config);
  for (std::uint64_t seed : kSeeds) {
    sim.reset(seed);
    int step = 0;
    while (!sim.needs_reset()) {
      ASSERT_TRUE(sim.step(fixed(0, 1, 1, 0.1f)).ok());
      ++step;
      const OpsSimMetrics& m = sim.metrics();
      EXPECT_EQ(m.admitted, 0.0);
      EXPECT_GT(m.arrivals, 0.0);
      EXPECT_DOUBLE_EQ(m.rejected, m.arrivals);
      if (step > 1) {  // the first step still serves the warm-up step's queue
        EXPECT_EQ(m.throughput, 0.0) << "step " << step;
        EXPECT_EQ(m.slo_violations, 0.0) << "step " << step;
        EXPECT_EQ(m.goodput, 0.0) << "step " << step;
        EXPECT_EQ(m.queue_length, 0.0) << "step " << step;
      }
    }
  }
  const Averages all = run([](const OpsSim&) { return fixed(7, 1, 1, 0.1f); }, kSeeds, config);
  EXPECT_GT(all.throughput, 100.0);
  EXPECT_GT(all.slo_violation_rate, 0.1);
}

TEST(OpsSimTest, StarvingAGroupLowersTheFairnessIndex) {
  // Capacity below demand, admission capped at 80 % of it: the weights decide who is served.
  auto team = [](int ethical) {
    return [ethical](const OpsSim&) { return fixed(4, 1, ethical, 0.25f); };
  };
  const Averages proportional = run(team(1), kSeeds);
  const Averages starve_analytics = run(team(2), kSeeds);    // analytics weight 0.05
  const Averages starve_interactive = run(team(7), kSeeds);  // interactive weight 0.1
  EXPECT_LT(starve_analytics.fairness, proportional.fairness - 0.05);
  EXPECT_LT(starve_analytics.analytics_goodput_ratio, 0.5 * proportional.analytics_goodput_ratio);
  EXPECT_LT(starve_interactive.fairness, proportional.fairness - 0.02);
}

// ---------------------------------------------------------------------------------------------
// The rewards conflict
// ---------------------------------------------------------------------------------------------

TEST(OpsSimTest, FairnessConflictsWithThroughput) {
  // Light-requests-first weights serve more requests (and please the policy agent) but are less
  // fair (and displease the ethical agent) than demand-proportional weights.
  const Averages proportional = run([](const OpsSim&) { return fixed(4, 1, 1, 0.25f); }, kSeeds);
  const Averages light_first = run([](const OpsSim&) { return fixed(4, 1, 2, 0.25f); }, kSeeds);
  EXPECT_GT(light_first.throughput, 1.05 * proportional.throughput);
  EXPECT_GT(light_first.rewards[0], proportional.rewards[0]);  // policy
  EXPECT_LT(light_first.fairness, proportional.fairness);
  EXPECT_LT(light_first.rewards[2], proportional.rewards[2]);  // ethical
}

TEST(OpsSimTest, CostConflictsWithLatency) {
  // From a moderate replica target to the maximum, the policy agent gains and the resource agent
  // loses: the extra replicas cost more than the SLO violations they remove.
  const Averages moderate = run([](const OpsSim&) { return fixed(7, 1, 1, 0.55f); }, kSeeds);
  const Averages maximum = run([](const OpsSim&) { return fixed(7, 1, 1, 1.0f); }, kSeeds);
  EXPECT_GT(maximum.rewards[0], moderate.rewards[0]);  // policy
  EXPECT_LT(maximum.rewards[3], moderate.rewards[3]);  // resource
}

TEST(OpsSimTest, ConsensusTimeoutTradesLatencyAgainstSuccessWithLoad) {
  OpsSimConfig config;
  config.node_failure_probability = 0.0;
  auto consensus = [&](int action, double load_scale, float resource) {
    config.load_scale = load_scale;
    OpsSim sim = make_sim(config);
    sim.reset(8);
    double r = 0.0;
    for (int i = 0; i < 50; ++i) {
      r += reward(*sim.step(fixed(7, action, 1, resource)), OpsAgent::kConsensus);
    }
    return std::pair{r / 50, sim.metrics()};
  };
  // Lightly loaded: the short timeout wins, a stalled round is retried quickly.
  const auto [light_short, light_short_m] = consensus(0, 0.5, 0.5f);
  const auto [light_long, light_long_m] = consensus(2, 0.5, 0.5f);
  EXPECT_LT(light_short_m.utilisation, 0.5);
  EXPECT_GT(light_short, light_long);
  // Heavily loaded (few replicas): replication lags and the short timeout fails most rounds.
  const auto [heavy_short, heavy_short_m] = consensus(0, 1.0, 0.3f);
  const auto [heavy_long, heavy_long_m] = consensus(2, 1.0, 0.3f);
  EXPECT_GT(heavy_short_m.utilisation, 0.9);
  EXPECT_LT(heavy_short_m.consensus_success, heavy_long_m.consensus_success - 0.3);
  EXPECT_LT(heavy_short, heavy_long);
}

// ---------------------------------------------------------------------------------------------
// Dynamics
// ---------------------------------------------------------------------------------------------

TEST(OpsSimTest, ReplicaTargetTakesEffectAfterTheScalingDelay) {
  for (int delay : {0, 1, 3}) {
    OpsSimConfig config;
    config.scaling_delay = delay;
    config.node_failure_probability = 0.0;
    OpsSim sim = make_sim(config);
    sim.reset(0);
    EXPECT_EQ(sim.metrics().replicas_current, 16);
    EXPECT_EQ(sim.replicas_for(1.0f), 32);
    for (int step = 0; step < 6; ++step) {
      ASSERT_TRUE(sim.step(fixed(7, 1, 1, 1.0f)).ok());
      const OpsSimMetrics& m = sim.metrics();
      EXPECT_EQ(m.replicas_target, 32);
      EXPECT_EQ(m.replicas_current, step < delay ? 16 : 32)
          << "delay " << delay << " step " << step;
      EXPECT_EQ(m.healthy_nodes, m.replicas_current);
      EXPECT_EQ(m.replicas_next, step + 1 < delay ? 16 : 32) << "delay " << delay;
      EXPECT_DOUBLE_EQ(m.capacity, m.healthy_nodes * 4 / kOpsServiceSecondsPerWork);
    }
  }
}

TEST(OpsSimTest, NodesFailAndComeBackAfterTheRepairTime) {
  OpsSimConfig config;
  config.node_failure_probability = 0.02;
  config.repair_steps = 4;
  OpsSim sim = make_sim(config);
  const float keep = static_cast<float>(config.initial_replicas - config.min_replicas) /
                     static_cast<float>(config.max_replicas - config.min_replicas);
  int total_failures = 0;
  int steps_degraded = 0;
  for (std::uint64_t seed : kSeeds) {
    sim.reset(seed);
    std::vector<int> failures;  // new failures per step
    while (!sim.needs_reset()) {
      ASSERT_TRUE(sim.step(fixed(7, 1, 1, keep)).ok());
      const OpsSimMetrics& m = sim.metrics();
      failures.push_back(m.new_failures);
      total_failures += m.new_failures;
      // With a constant replica count, a replica is down for exactly repair_steps steps.
      int down = 0;
      for (int k = 0; k < config.repair_steps && k < static_cast<int>(failures.size()); ++k) {
        down += failures[failures.size() - 1 - k];
      }
      ASSERT_EQ(m.failed_nodes, down) << "seed " << seed << " step " << m.step;
      ASSERT_EQ(m.healthy_nodes + m.failed_nodes, m.replicas_current);
      steps_degraded += m.failed_nodes > 0;
    }
  }
  const int steps = static_cast<int>(kSeeds.size()) * config.episode_length;
  // Expected failures: 16 replicas × 0.02 per step ≈ 0.3 per step.
  EXPECT_GT(total_failures, steps / 10);
  EXPECT_LT(steps_degraded, steps);  // and they recover

  config.node_failure_probability = 0.0;
  OpsSim healthy = make_sim(config);
  healthy.reset(0);
  while (!healthy.needs_reset()) {
    ASSERT_TRUE(healthy.step(fixed(7, 1, 1, keep)).ok());
    ASSERT_EQ(healthy.metrics().failed_nodes, 0);
  }
}

TEST(OpsSimTest, LoadFollowsTheDailyCycle) {
  OpsSimConfig config;
  config.random_start_time = false;
  config.arrival_noise = 0.0;
  config.burst_probability = 0.0;
  config.episode_length = 288;
  OpsSim sim = make_sim(config);
  sim.reset(0);
  std::vector<double> interactive;
  std::vector<double> analytics;
  while (!sim.needs_reset()) {
    ASSERT_TRUE(sim.step(OpsSimAction{}).ok());
    interactive.push_back(sim.metrics().groups[0].arrivals);
    analytics.push_back(sim.metrics().groups[3].arrivals);
  }
  EXPECT_DOUBLE_EQ(sim.metrics().time_of_day, 287.0 / 288.0);
  // Interactive peaks at noon at (1 + amplitude) × base; analytics at midnight.
  EXPECT_NEAR(interactive[144], 400.0 * 1.5, 1e-9);
  EXPECT_NEAR(interactive[0], 400.0 * 0.5, 1e-9);
  EXPECT_NEAR(analytics[0], 50.0 * 1.5, 1e-9);
  EXPECT_NEAR(analytics[144], 50.0 * 0.5, 1e-9);
}

// ---------------------------------------------------------------------------------------------
// Heuristic team
// ---------------------------------------------------------------------------------------------

TEST(OpsSimTest, HeuristicTeamBeatsARandomTeamOnTotalReward) {
  const Team heuristic = [](const OpsSim& sim) {
    return ops_sim_heuristic(sim.metrics(), sim.config());
  };
  core::Generator rng(2024);
  const Team random = [&rng](const OpsSim&) { return random_action(rng); };
  for (std::uint64_t seed : kSeeds) {
    const Averages h = run(heuristic, {seed});
    const Averages r = run(random, {seed});
    EXPECT_GT(h.total_reward, r.total_reward + 100.0) << "seed " << seed;
    EXPECT_GT(h.rewards[0], r.rewards[0]) << "seed " << seed;
    EXPECT_GT(h.rewards[2], r.rewards[2]) << "seed " << seed;
    EXPECT_GT(h.rewards[3], r.rewards[3]) << "seed " << seed;
  }
  // And every fixed replica target it could have chosen instead (the team adapts to the load).
  const Averages h = run(heuristic, kSeeds);
  for (float resource : {0.3f, 0.5f, 0.6f, 0.7f, 0.8f, 1.0f}) {
    const Averages f = run(
        [resource, &heuristic](const OpsSim& sim) {
          OpsSimAction a = heuristic(sim);
          a.resource = resource;
          return a;
        },
        kSeeds);
    EXPECT_GT(h.total_reward, f.total_reward) << "resource " << resource;
  }
}

TEST(OpsSimTest, HeuristicScalesWithTheLoadAndStaysValid) {
  OpsSim sim = make_sim();
  sim.reset(0);
  OpsSimMetrics quiet = sim.metrics();
  quiet.offered_work = 300.0;
  quiet.utilisation = 0.3;
  OpsSimMetrics busy = quiet;
  busy.offered_work = 1600.0;
  busy.utilisation = 0.9;
  const OpsSimAction a = ops_sim_heuristic(quiet, sim.config());
  const OpsSimAction b = ops_sim_heuristic(busy, sim.config());
  EXPECT_TRUE(validate_ops_action(a).ok());
  EXPECT_TRUE(validate_ops_action(b).ok());
  EXPECT_LT(a.resource, b.resource);
  EXPECT_EQ(sim.replicas_for(b.resource), 27);  // ceil(1600 / (0.6 × 100)) = 27 replicas
  EXPECT_EQ(a.consensus, 0);                    // short timeout when replication is fast
  EXPECT_EQ(b.consensus, 2);                    // patient timeout when it lags
  busy.failed_nodes = 2;
  EXPECT_EQ(ops_sim_heuristic(busy, sim.config()).consensus, 4);
  EXPECT_EQ(sim.replicas_for(ops_sim_heuristic(busy, sim.config()).resource), 29);
}

}  // namespace
}  // namespace tars::env
