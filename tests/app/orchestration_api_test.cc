// The orchestrator's routes over real sockets: agents, history, hyperparameter hot reload (with
// its classes and the auth matrix), Nash / Pareto / conflicts / metrics, external mode, and the
// live feed and Prometheus metrics it feeds.
#include <chrono>
#include <thread>

#include "platform_fixture.h"

namespace tars::app {
namespace {

class OrchestrationApiTest : public PlatformTest {
 protected:
  void SetUp() override {}

  void start_orchestrator(OrchestrationMode mode, TeamEvaluationOptions team_evaluation = {}) {
    PlatformOptions options;
    options.orchestration.mode = mode;
    options.orchestration.team_evaluation = team_evaluation;
    options.orchestration.steps_per_second = 0;  // full speed
    options.orchestration.orchestrator.sim.episode_length = 20;
    options.orchestration.step_publish_interval = std::chrono::milliseconds(0);
    start(std::move(options));
  }

  std::string token_for(const std::string& username, const std::string& role) {
    auto created = admin().request(
        "POST", "/api/v1/admin/users",
        json{{"username", username}, {"password", "password-" + username}, {"role", role}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    return login(username, "password-" + username)["access_token"];
  }

  // Waits until the orchestrator has finished `episodes` episodes.
  void wait_for_episodes(int episodes) {
    auto client = admin();
    for (int i = 0; i < 3000; ++i) {
      const json metrics = json::parse(client.request("GET", "/api/v1/metrics").body);
      if (metrics["episode"].get<int>() >= episodes) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "the orchestrator did not finish " << episodes << " episodes";
  }

  static json state_vectors(float value) {
    json states = json::object();
    for (const env::OpsAgentSpec& spec : env::kOpsAgents) {
      states[std::string(spec.name)] =
          std::vector<float>(static_cast<std::size_t>(spec.obs_dim), value);
    }
    return states;
  }

  static json hyperparameter(const json& agent, const std::string& name) {
    for (const json& entry : agent["hyperparameters"]) {
      if (entry["name"] == name) return entry;
    }
    return {};
  }
};

TEST_F(OrchestrationApiTest, AgentsReportTheirRolesStatisticsAndHyperparameters) {
  start_orchestrator(OrchestrationMode::kSimulation);
  wait_for_episodes(2);
  auto client = admin();
  const auto listed = client.request("GET", "/api/v1/agents");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json agents = json::parse(listed.body)["agents"];
  ASSERT_EQ(agents.size(), 4u);
  const std::vector<std::string> algorithms = {"dqn", "a2c", "ppo", "ddpg"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(agents[i]["id"], env::kOpsAgents[i].name);
    EXPECT_EQ(agents[i]["algorithm"], algorithms[i]);
    EXPECT_GE(agents[i]["episode"].get<int>(), 2);
    EXPECT_GT(agents[i]["memory_bytes"].get<double>(), 0);
    EXPECT_FALSE(agents[i]["hyperparameters"].empty());
  }
  // T.A.R.S. 1.0's values, with their reload classes.
  const json policy = json::parse(client.request("GET", "/api/v1/agents/policy").body);
  EXPECT_EQ(hyperparameter(policy, "gamma")["value"], "0.95");
  EXPECT_EQ(hyperparameter(policy, "gamma")["class"], "hot");
  EXPECT_EQ(hyperparameter(policy, "net_arch")["class"], "cold");
  EXPECT_TRUE(policy["metrics"].contains("epsilon"));
  EXPECT_EQ(client.request("GET", "/api/v1/agents/nobody").status, 404);
}

TEST_F(OrchestrationApiTest, HistoryIsPersistedPerEpisodeAndPaginated) {
  start_orchestrator(OrchestrationMode::kSimulation);
  wait_for_episodes(3);
  auto client = admin();
  const json page =
      json::parse(client.request("GET", "/api/v1/agents/ethical/history?limit=1").body);
  EXPECT_EQ(page["limit"], 1);
  EXPECT_TRUE(page["has_more"]);
  EXPECT_GE(page["total"].get<int>(), 3);
  ASSERT_EQ(page["history"].size(), 1u);
  const json newest = page["history"][0];
  EXPECT_EQ(newest["episode"].get<int>(), page["total"].get<int>());  // newest first
  EXPECT_EQ(newest["steps"].get<int>(), 20 * newest["episode"].get<int>());
  EXPECT_TRUE(newest["metrics"].is_object());
  const json past =
      json::parse(client.request("GET", "/api/v1/agents/ethical/history?offset=100000").body);
  EXPECT_TRUE(past["history"].empty());
  EXPECT_FALSE(past["has_more"]);
  for (const char* bad : {"limit=0", "limit=1001", "offset=-1", "sort=asc"}) {
    const auto reply = client.request("GET", std::string("/api/v1/agents/ethical/history?") + bad);
    EXPECT_EQ(reply.status, 400) << bad << ": " << reply.body;
  }
}

TEST_F(OrchestrationApiTest, TeamIsEvaluatedPeriodicallyAndJudgedAgainstItsBaseline) {
  start_orchestrator(OrchestrationMode::kSimulation, {.every_episodes = 2, .episodes = 3});
  auto client = admin();
  json page;
  for (int i = 0; i < 3000; ++i) {
    page = json::parse(client.request("GET", "/api/v1/evaluations?agent_id=team").body);
    if (page["total"].get<int>() >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(page["total"].get<int>(), 2) << page.dump();
  const json first = page["evaluations"].back();  // oldest
  EXPECT_EQ(first["agent_type"], "marl-team");
  EXPECT_EQ(first["environment"], "ops_sim");
  EXPECT_EQ(first["status"], "completed");
  EXPECT_EQ(first["num_episodes"], 3);
  EXPECT_TRUE(first["baseline_comparison"].is_null());  // the first has no baseline to meet
  const json second = page["evaluations"][page["evaluations"].size() - 2];
  EXPECT_TRUE(second["baseline_comparison"].is_object());
  EXPECT_TRUE(second["regression"].contains("detected"));
  const json detail = json::parse(
      client.request("GET", "/api/v1/evaluations/" + std::to_string(first["id"].get<int>())).body);
  ASSERT_EQ(detail["episodes"].size(), 3u);
  EXPECT_EQ(detail["episodes"][0]["seed"], 1000000);
  EXPECT_EQ(detail["episodes"][0]["steps"], 20);
  EXPECT_DOUBLE_EQ(detail["metrics"]["mean_reward"].get<double>(),
                   (detail["episodes"][0]["total_reward"].get<double>() +
                    detail["episodes"][1]["total_reward"].get<double>() +
                    detail["episodes"][2]["total_reward"].get<double>()) /
                       3.0);
  const json baselines = json::parse(
      client.request("GET", "/api/v1/baselines?agent_type=marl-team&environment=ops_sim").body);
  // The first became the baseline; a later one replaces it only by beating it.
  bool current_is_a_team_evaluation = false;
  for (const json& evaluation : page["evaluations"]) {
    current_is_a_team_evaluation |= baselines["current"]["evaluation_id"] == evaluation["id"];
  }
  EXPECT_TRUE(current_is_a_team_evaluation) << baselines.dump();
  EXPECT_EQ(baselines["history"].back()["evaluation_id"], first["id"]);
}

TEST_F(OrchestrationApiTest, HyperparametersChangeByClassAndRole) {
  start_orchestrator(OrchestrationMode::kSimulation);
  const std::string viewer = token_for("vera", "viewer");
  const std::string developer = token_for("dev", "developer");
  const std::string path = "/api/v1/agents/consensus/hyperparameters";
  const std::string hot = json{{"values", {{"ent_coef", "0.02"}, {"learning_rate", 0.001}}}}.dump();

  EXPECT_EQ(HttpClient(port()).request("POST", path, hot).status, 401);
  EXPECT_EQ(HttpClient(port(), bearer(viewer)).request("POST", path, hot).status, 403);
  HttpClient dev(port(), bearer(developer));
  const auto applied = dev.request("POST", path, hot);
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(hyperparameter(json::parse(applied.body), "ent_coef")["value"], "0.02");
  // The agent reports the change, and the change is audited.
  const json agent = json::parse(admin().request("GET", "/api/v1/agents/consensus").body);
  EXPECT_EQ(hyperparameter(agent, "learning_rate")["value"], "0.001");
  const json audit =
      json::parse(admin().request("GET", "/api/v1/admin/audit?action=agent.hyperparameters").body);
  ASSERT_EQ(audit["entries"].size(), 1u);
  EXPECT_EQ(audit["entries"][0]["actor"], "dev");
  EXPECT_EQ(audit["entries"][0]["target"], "agent:consensus");

  // Warm values are accepted (they apply at the next rollout).
  EXPECT_EQ(dev.request("POST", path, json{{"values", {{"n_steps", "16"}}}}.dump()).status, 200);
  // Cold: 409 naming the value; out of bounds or unknown: 400 naming it; nothing changes.
  const auto cold = dev.request("POST", path, json{{"values", {{"net_arch", "small"}}}}.dump());
  EXPECT_EQ(cold.status, 409) << cold.body;
  EXPECT_EQ(json::parse(cold.body)["error"]["field"], "values.net_arch");
  const auto bounds =
      dev.request("POST", path, json{{"values", {{"ent_coef", "0.07"}, {"gamma", "1.5"}}}}.dump());
  EXPECT_EQ(bounds.status, 400) << bounds.body;
  EXPECT_EQ(json::parse(bounds.body)["error"]["field"], "values.gamma");
  const json unchanged = json::parse(admin().request("GET", "/api/v1/agents/consensus").body);
  EXPECT_EQ(hyperparameter(unchanged, "ent_coef")["value"], "0.02");
  const auto unknown = dev.request("POST", path, json{{"values", {{"warp", "9"}}}}.dump());
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(dev.request("POST", path, json{{"values", json::object()}}.dump()).status, 400);
  EXPECT_EQ(dev.request("POST", path, "{\"values\": ").status, 400);
}

TEST_F(OrchestrationApiTest, CoordinationStateIsServed) {
  start_orchestrator(OrchestrationMode::kSimulation);
  wait_for_episodes(1);
  auto client = admin();
  const json nash = json::parse(client.request("GET", "/api/v1/nash-equilibrium").body);
  EXPECT_EQ(nash["players"].size(), 4u);
  ASSERT_EQ(nash["strategies"].size(), 4u);
  for (const json& strategy : nash["strategies"]) {
    double total = 0;
    for (const json& p : strategy) total += p.get<double>();
    EXPECT_NEAR(total, 1.0, 1e-9);
  }
  EXPECT_TRUE(nash["converged"]);
  EXPECT_LE(nash["exploitability"].get<double>(), 1e-9);

  const json pareto = json::parse(client.request("GET", "/api/v1/pareto").body);
  ASSERT_FALSE(pareto["candidates"].empty());
  const std::size_t selected = pareto["selected"];
  EXPECT_TRUE(pareto["candidates"][selected]["on_frontier"]);
  EXPECT_GT(pareto["hypervolume"].get<double>(), 0.0);
  EXPECT_FALSE(pareto["hypervolume_history"].empty());

  const json metrics = json::parse(client.request("GET", "/api/v1/metrics").body);
  for (const char* key : {"global_reward", "agent_rewards", "conflict_rate", "nash"}) {
    EXPECT_TRUE(metrics.contains(key)) << key;
  }
  EXPECT_TRUE(
      json::parse(client.request("GET", "/api/v1/conflicts?limit=5").body)["conflicts"].is_array());
  EXPECT_EQ(client.request("GET", "/api/v1/conflicts?limit=0").status, 400);
  // External mode is refused while the orchestrator runs ops_sim.
  const auto refused = client.request("POST", "/api/v1/orchestration/step",
                                      json{{"states", state_vectors(0.1f)}}.dump());
  EXPECT_EQ(refused.status, 409) << refused.body;

  // Prometheus has the orchestrator's families.
  const std::string text = HttpClient(port()).request("GET", "/metrics").body;
  for (const char* name : {"tars_orchestration_steps_total", "tars_global_reward",
                           "tars_agent_reward{agent=\"policy\"}",
                           "tars_multiagent_conflicts_total{type=\"scale_to_max\"}",
                           "tars_nash_convergence_time_seconds_count",
                           "tars_agent_memory_bytes{agent=\"resource\"}", "tars_dqn_epsilon",
                           "tars_a2c_entropy", "tars_ppo_kl_divergence", "tars_ddpg_noise_sigma"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

TEST_F(OrchestrationApiTest, LiveFeedCarriesStepsAndAgentStatus) {
  start_orchestrator(OrchestrationMode::kSimulation);
  WsClient ws(port(), live_target());
  ws.send(json{{"type", "subscribe"}, {"channel", "orchestration.step"}}.dump());
  ws.send(json{{"type", "subscribe"}, {"channel", "agent.status"}}.dump());
  bool step = false, status = false;
  for (int i = 0; i < 5000 && !(step && status); ++i) {
    const auto text = ws.read();
    if (!text) break;
    const json message = json::parse(*text);
    if (message["type"] != "update") continue;
    if (message["channel"] == "orchestration.step") {
      step = true;
      EXPECT_TRUE(message["data"].contains("global_reward"));
      EXPECT_EQ(message["data"]["actions"].size(), 4u);
    }
    if (message["channel"] == "agent.status") {
      status = true;
      EXPECT_TRUE(message["data"].contains("reward_mean_10"));
    }
  }
  EXPECT_TRUE(step);
  EXPECT_TRUE(status);
}

TEST_F(OrchestrationApiTest, ExternalModeCoordinatesAndLearnsFromReportedRewards) {
  start_orchestrator(OrchestrationMode::kExternal);
  const std::string developer = token_for("dev", "developer");
  HttpClient dev(port(), bearer(developer));
  EXPECT_EQ(HttpClient(port(), bearer(token_for("vera", "viewer")))
                .request("POST", "/api/v1/orchestration/step",
                         json{{"states", state_vectors(0.0f)}}.dump())
                .status,
            403);
  // Ending an episode that has not started is a conflict.
  EXPECT_EQ(dev.request("POST", "/api/v1/orchestration/episode/end", "{}").status, 409);

  const json rewards{{"policy", 0.5}, {"consensus", 0.1}, {"ethical", -0.2}, {"resource", 0.0}};
  for (int t = 0; t < 3; ++t) {
    const auto reply = dev.request("POST", "/api/v1/orchestration/step",
                                   json{{"states", state_vectors(0.1f * t)},
                                        {"rewards", rewards},
                                        {"context", {{"utilisation", 0.4}}}}
                                       .dump());
    ASSERT_EQ(reply.status, 200) << reply.body;
    const json step = json::parse(reply.body);
    EXPECT_EQ(step["actions"].size(), 4u);
    EXPECT_TRUE(step["actions"]["policy"].is_number_integer());
    EXPECT_GE(step["actions"]["resource"].get<double>(), 0.0);
    EXPECT_LE(step["actions"]["resource"].get<double>(), 1.0);
    EXPECT_EQ(step["probabilities"].size(), 4u);
    EXPECT_TRUE(step["nash"]["converged"]);
  }
  const auto ended =
      dev.request("POST", "/api/v1/orchestration/episode/end", json{{"rewards", rewards}}.dump());
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(json::parse(ended.body)["episodes"], 1);
  // Three transitions learned: the first two on the next calls, the last at the episode's end.
  const json policy = json::parse(dev.request("GET", "/api/v1/agents/policy").body);
  EXPECT_EQ(policy["steps"], 3);
  EXPECT_DOUBLE_EQ(policy["last_episode_reward"].get<double>(), 1.5);

  // Invalid vectors name the agent and the field.
  json wrong = state_vectors(0.0f);
  wrong["consensus"].erase(0);
  auto bad = dev.request("POST", "/api/v1/orchestration/step", json{{"states", wrong}}.dump());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["field"], "states.consensus");
  json text_value = state_vectors(0.0f);
  text_value["ethical"][3] = "NaN";
  bad = dev.request("POST", "/api/v1/orchestration/step", json{{"states", text_value}}.dump());
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(json::parse(bad.body)["error"]["message"].get<std::string>().find("states.ethical[3]"),
            std::string::npos);
  bad = dev.request("POST", "/api/v1/orchestration/step", R"({"states": {"policy": [1e999]}})");
  EXPECT_EQ(bad.status, 400);
  bad = dev.request("POST", "/api/v1/orchestration/step",
                    json{{"states", state_vectors(0.0f)}, {"rewards", {{"policy", 1}}}}.dump());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["field"], "rewards.consensus");
  bad =
      dev.request("POST", "/api/v1/orchestration/step",
                  json{{"states", state_vectors(0.0f)}, {"context", {{"utilisation", 2}}}}.dump());
  EXPECT_EQ(json::parse(bad.body)["error"]["field"], "context.utilisation");
}

TEST_F(OrchestrationApiTest, RoutesAnswer503WithoutAnOrchestrator) {
  start(PlatformOptions());
  auto client = admin();
  for (const char* path : {"/api/v1/agents", "/api/v1/agents/policy", "/api/v1/nash-equilibrium",
                           "/api/v1/metrics", "/api/v1/pareto"}) {
    EXPECT_EQ(client.request("GET", path).status, 503) << path;
  }
}

}  // namespace
}  // namespace tars::app
