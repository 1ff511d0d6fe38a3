// The running server over real sockets: routes, errors, limits, caching, static files, CORS and
// the live feed, on a real SQLite database with real evaluation workers.
#include <future>

#include "app/gunzip.h"
#include "app/platform_fixture.h"

namespace tars::app {
namespace {

TEST_F(PlatformTest, HealthReadyAndCommonHeaders) {
  auto client = admin();
  auto health = client.request("GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");
  EXPECT_EQ(health.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(health.header("X-Request-Id").size(), 16u);
  auto echoed = client.request("GET", "/ready", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(echoed.status, 200);
  EXPECT_EQ(echoed.header("X-Request-Id"), "abc-123");
  EXPECT_EQ(json::parse(echoed.body)["migrations"], 6);
  auto bad_id = client.request("GET", "/health", "", {{"X-Request-Id", "no spaces allowed"}});
  EXPECT_NE(bad_id.header("X-Request-Id"), "no spaces allowed");
}

TEST_F(PlatformTest, UnknownRoutesAndMethodsGetTheErrorShape) {
  auto client = admin();
  auto missing = client.request("GET", "/api/v1/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(missing.body)["error"]["code"], "not_found");
  auto method = client.request("DELETE", "/api/v1/evaluations");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.header("Allow"), "GET, POST");
}

TEST_F(PlatformTest, EvaluationListValidatesAndPages) {
  auto client = admin();
  for (const char* target : {"/api/v1/evaluations?limit=0", "/api/v1/evaluations?limit=1001",
                             "/api/v1/evaluations?limit=ten"}) {
    auto reply = client.request("GET", target);
    EXPECT_EQ(reply.status, 400) << target;
    EXPECT_EQ(json::parse(reply.body)["error"]["field"], "limit") << target;
  }
  EXPECT_EQ(
      json::parse(client.request("GET", "/api/v1/evaluations?offset=-1").body)["error"]["field"],
      "offset");
  EXPECT_EQ(
      json::parse(client.request("GET", "/api/v1/evaluations?status=done").body)["error"]["field"],
      "status");
  EXPECT_EQ(
      json::parse(client.request("GET", "/api/v1/evaluations?sorting=x").body)["error"]["field"],
      "sorting");

  evaluate(client, "a");
  evaluate(client, "a");
  auto page = json::parse(client.request("GET", "/api/v1/evaluations?agent_id=a&limit=1").body);
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["evaluations"].size(), 1u);
  EXPECT_EQ(page["has_more"], true);
  auto past = json::parse(client.request("GET", "/api/v1/evaluations?offset=50").body);
  EXPECT_EQ(past["evaluations"].size(), 0u);
  EXPECT_EQ(past["has_more"], false);
  EXPECT_EQ(past["total"], 2);
}

TEST_F(PlatformTest, SubmittedEvaluationCompletesWithEpisodesAndBaseline) {
  auto client = admin();
  const auto record = evaluate(client, "cartpole-heuristic");
  EXPECT_EQ(record["status"], "completed");
  EXPECT_EQ(record["metrics"]["mean_reward"], 500.0);
  EXPECT_EQ(record["episodes"].size(), 3u);
  auto baselines = json::parse(
      client.request("GET", "/api/v1/baselines?agent_type=heuristic&environment=CartPole-v1").body);
  EXPECT_EQ(baselines["current"]["evaluation_id"], record["id"]);
  auto missing = client.request("GET", "/api/v1/evaluations/999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(client.request("GET", "/api/v1/evaluations/abc").status, 400);
}

TEST_F(PlatformTest, BadSubmissionsNameTheField) {
  auto client = admin();
  auto not_json = client.request("POST", "/api/v1/evaluations", "{oops");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(json::parse(not_json.body)["error"]["field"], "body");
  auto unknown = client.request("POST", "/api/v1/evaluations", R"({"polcy": "random"})");
  EXPECT_EQ(json::parse(unknown.body)["error"]["field"], "polcy");
  auto wrong_type =
      client.request("POST", "/api/v1/evaluations", R"({"policy": "random", "episodes": "ten"})");
  EXPECT_EQ(json::parse(wrong_type.body)["error"]["field"], "episodes");
  auto no_heuristic = client.request("POST", "/api/v1/evaluations",
                                     R"({"policy": "heuristic", "environment": "Acrobot-v1"})");
  EXPECT_EQ(no_heuristic.status, 400);
  EXPECT_NE(no_heuristic.body.find("no heuristic for Acrobot-v1"), std::string::npos);
}

TEST_F(PlatformTest, LimitsAnswerWithClearErrors) {
  auto big_body = admin();
  auto too_large = big_body.request("POST", "/api/v1/evaluations", std::string(2 << 20, 'x'));
  EXPECT_EQ(too_large.status, 413);
  EXPECT_NE(too_large.body.find("larger than 1048576 bytes"), std::string::npos);
  auto big_header = admin();
  auto too_long = big_header.request("GET", "/health", "", {{"X-Big", std::string(20000, 'y')}});
  EXPECT_EQ(too_long.status, 431);
}

TEST_F(PlatformTest, ListIsCachedUntilTheAgentWritesAgain) {
  auto client = admin();
  evaluate(client, "cached");
  const std::string target = "/api/v1/evaluations?agent_id=cached";
  EXPECT_EQ(client.request("GET", target).header("X-Cache"), "miss");
  EXPECT_EQ(client.request("GET", target).header("X-Cache"), "hit");
  evaluate(client, "cached");
  auto fresh = client.request("GET", target);
  EXPECT_EQ(fresh.header("X-Cache"), "miss");
  EXPECT_EQ(json::parse(fresh.body)["total"], 2);

  // Clients that accept gzip get the compressed copy cached next to the plain one.
  const std::map<std::string, std::string> gzip{{"Accept-Encoding", "gzip, deflate"}};
  auto compressed = client.request("GET", target, "", gzip);
  EXPECT_EQ(compressed.header("X-Cache"), "hit");
  EXPECT_EQ(compressed.header("Content-Encoding"), "gzip");
  EXPECT_EQ(compressed.header("Vary"), "Accept-Encoding");
  EXPECT_EQ(test::gunzip(compressed.body), fresh.body);
  EXPECT_EQ(client.request("GET", target).header("Content-Encoding"), "");
}

TEST_F(PlatformTest, UncachedListsAreNotCompressed) {
  PlatformOptions options;
  options.evaluations_cache_ttl = std::chrono::milliseconds(0);
  start(options);
  auto client = admin();
  evaluate(client, "plain");
  auto response = client.request("GET", "/api/v1/evaluations?agent_id=plain", "",
                                 {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(response.header("X-Cache"), "miss");
  EXPECT_EQ(response.header("Content-Encoding"), "");
  EXPECT_EQ(json::parse(response.body)["total"], 1);
}

TEST_F(PlatformTest, BaselinesCanBeSetAndAreValidated) {
  auto client = admin();
  const json metrics{{"mean_reward", 10.0},   {"std_reward", 1.0},     {"min_reward", 8.0},
                     {"max_reward", 12.0},    {"success_rate", 0.5},   {"mean_steps", 100.0},
                     {"action_entropy", 0.6}, {"reward_variance", 1.0}};
  auto created = client.request(
      "POST", "/api/v1/baselines",
      json{{"agent_type", "ppo"}, {"environment", "CartPole-v1"}, {"metrics", metrics}}.dump());
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json::parse(created.body)["rank"], 1);
  auto missing = client.request(
      "POST", "/api/v1/baselines",
      json{{"agent_type", "ppo"}, {"environment", "CartPole-v1"}, {"metrics", {{"x", 1}}}}.dump());
  EXPECT_EQ(json::parse(missing.body)["error"]["field"], "metrics.mean_reward");
  auto query = client.request("GET", "/api/v1/baselines?agent_type=ppo");
  EXPECT_EQ(json::parse(query.body)["error"]["field"], "environment");
}

TEST_F(PlatformTest, EnvironmentsCatalogue) {
  auto client = admin();
  auto environments = json::parse(client.request("GET", "/api/v1/environments").body);
  ASSERT_EQ(environments["environments"].size(), 7u);
  EXPECT_EQ(environments["environments"][0]["id"], "CartPole-v1");
  EXPECT_EQ(environments["environments"][0]["success_threshold"], 475.0);
}

TEST_F(PlatformTest, DashboardFilesWithSpaFallbackAndNoTraversal) {
  auto client = admin();
  auto index = client.request("GET", "/");
  EXPECT_EQ(index.body, "<html>tars</html>");
  EXPECT_EQ(index.header("Cache-Control"), "no-cache");
  EXPECT_EQ(client.request("GET", "/evaluations/12").body, "<html>tars</html>");
  auto asset = client.request("GET", "/assets/app-1234.js");
  EXPECT_EQ(asset.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(asset.header("Cache-Control").find("immutable"), std::string::npos);
  EXPECT_EQ(client.request("GET", "/../etc/passwd").status, 400);
  EXPECT_EQ(client.request("GET", "/%2e%2e/etc/passwd").status, 400);
  EXPECT_EQ(client.request("GET", "/missing.js").status, 404);
  EXPECT_EQ(client.request("GET", "/api/v1/nope").status, 404);
}

TEST_F(PlatformTest, CorsOnlyForConfiguredOrigins) {
  PlatformOptions options;
  options.cors_origins = {"http://localhost:5173"};
  start(options);
  auto client = admin();
  auto allowed = client.request("GET", "/health", "", {{"Origin", "http://localhost:5173"}});
  EXPECT_EQ(allowed.header("Access-Control-Allow-Origin"), "http://localhost:5173");
  auto preflight = client.request(
      "OPTIONS", "/api/v1/evaluations", "",
      {{"Origin", "http://localhost:5173"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_NE(preflight.header("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  auto other = client.request("GET", "/health", "", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(other.header("Access-Control-Allow-Origin"), "");
}

TEST_F(PlatformTest, LiveFeedSubscribesAndDeliversEvaluationUpdates) {
  WsClient ws(port(), live_target());
  auto welcome = json::parse(ws.read().value());
  EXPECT_EQ(welcome["type"], "welcome");
  EXPECT_EQ(welcome["data"]["ping_interval"], 30);
  EXPECT_EQ(welcome["data"]["max_reconnect_delay"], 30);
  ws.send(R"({"type": "subscribe", "channel": "evaluation.updates"})");
  EXPECT_EQ(json::parse(ws.read().value())["type"], "subscribed");
  ws.send(R"({"type": "ping"})");
  EXPECT_EQ(json::parse(ws.read().value())["type"], "pong");
  ws.send(R"({"type": "subscribe", "channel": "nope"})");
  auto error = json::parse(ws.read().value());
  EXPECT_EQ(error["type"], "error");
  EXPECT_NE(error["data"]["message"].get<std::string>().find("unknown channel 'nope'"),
            std::string::npos);
  ws.send("not json");
  EXPECT_EQ(json::parse(ws.read().value())["type"], "error");

  auto client = admin();
  evaluate(client, "live");
  std::vector<std::string> events;
  while (auto message = ws.read(std::chrono::seconds(2))) {
    auto update = json::parse(*message);
    EXPECT_EQ(update["type"], "update");
    EXPECT_EQ(update["channel"], "evaluation.updates");
    events.push_back(update["data"]["event"]);
    if (events.back() == "completed") break;
  }
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front(), "queued");
  EXPECT_EQ(events.back(), "completed");
  // One per episode at most, and at most one per 250 ms (the first always).
  const auto progress = std::count(events.begin(), events.end(), "progress");
  EXPECT_GE(progress, 1);
  EXPECT_LE(progress, 3);
}

TEST_F(PlatformTest, BatchingClientsReceiveQueuedUpdatesTogether) {
  EXPECT_THROW(WsClient(port(), live_target() + "&batch=maybe"), boost::system::system_error);
  WsClient ws(port(), live_target() + "&batch=true");
  EXPECT_EQ(json::parse(ws.read().value())["type"], "welcome");
  ws.send(R"({"type": "subscribe", "channel": "agent.status"})");
  EXPECT_EQ(json::parse(ws.read().value())["type"], "subscribed");
  // 15 MB while the client reads nothing: more than the socket buffers hold, so writes block
  // and updates queue behind them; once the client reads, they leave in batches of <= 256 KiB.
  constexpr int kUpdates = 150;
  const std::string pad(100 * 1024, 'x');
  for (int i = 0; i < kUpdates; ++i) {
    platform_->hub().publish("agent.status", json{{"n", i}, {"pad", pad}}.dump());
  }
  std::vector<int> received;
  int batches = 0;
  while (received.size() < kUpdates) {
    const auto message = ws.read(std::chrono::seconds(5));
    ASSERT_TRUE(message.has_value()) << received.size() << " updates received";
    auto parsed = json::parse(*message);
    // A batch is {"type": "batch", "ts", "data": [the messages, in order]}.
    const bool batch = parsed["type"] == "batch";
    batches += batch ? 1 : 0;
    const json updates = batch ? parsed["data"] : json::array({parsed});
    EXPECT_LE(message->size(), 256u * 1024u + 1024u);
    for (const auto& update : updates) {
      EXPECT_EQ(update["type"], "update");
      received.push_back(update["data"]["n"]);
    }
  }
  EXPECT_GT(batches, 0);
  for (int i = 0; i < kUpdates; ++i) EXPECT_EQ(received[i], i);
}

TEST_F(PlatformTest, UpdatesPublishedTogetherArriveAsOneBatch) {
  WsClient ws(port(), live_target() + "&batch=true");
  EXPECT_EQ(json::parse(ws.read().value())["type"], "welcome");
  ws.send(R"({"type": "subscribe", "channel": "agent.status"})");
  EXPECT_EQ(json::parse(ws.read().value())["type"], "subscribed");
  for (int i = 0; i < 3; ++i) platform_->hub().publish("agent.status", json{{"n", i}}.dump());
  // Published within the hub's coalescing window: one frame holding all three, in order.
  const auto batch = json::parse(ws.read().value());
  ASSERT_EQ(batch["type"], "batch");
  ASSERT_EQ(batch["data"].size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(batch["data"][i]["data"]["n"], i);
}

TEST_F(PlatformTest, ConnectionsWithTheSameSubscriptionsShareOneBatch) {
  std::vector<std::unique_ptr<WsClient>> clients;
  for (const std::string channel : {"agent.status", "agent.status", "tuning.trials"}) {
    auto& ws =
        *clients.emplace_back(std::make_unique<WsClient>(port(), live_target() + "&batch=true"));
    EXPECT_EQ(json::parse(ws.read().value())["type"], "welcome");
    ws.send(R"({"type": "subscribe", "channel": ")" + channel + "\"}");
    EXPECT_EQ(json::parse(ws.read().value())["type"], "subscribed");
  }
  for (int i = 0; i < 2; ++i) platform_->hub().publish("agent.status", json{{"n", i}}.dump());
  for (int i = 0; i < 2; ++i) platform_->hub().publish("tuning.trials", json{{"t", i}}.dump());
  // The hub serialises each subscription set's batch once: the same bytes, ts included.
  const auto first = clients[0]->read().value();
  EXPECT_EQ(clients[1]->read().value(), first);
  const auto batch = json::parse(first);
  ASSERT_EQ(batch["data"].size(), 2u);
  EXPECT_EQ(batch["data"][1]["data"]["n"], 1);
  const auto other = json::parse(clients[2]->read().value());
  ASSERT_EQ(other["data"].size(), 2u);
  EXPECT_EQ(other["data"][0]["channel"], "tuning.trials");
}

TEST_F(PlatformTest, SilentClientIsDroppedAfterThePingTimeout) {
  PlatformOptions options;
  options.server.ws_ping_interval = std::chrono::seconds(1);
  options.server.ws_ping_timeout = std::chrono::seconds(1);
  start(options);
  WsClient ws(port(), live_target());
  ASSERT_TRUE(ws.read().has_value());  // welcome; from now on this client never reads (no pongs)
  EXPECT_EQ(platform_->hub().connections(), 1u);
  for (int i = 0; i < 50 && platform_->hub().connections() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(platform_->hub().connections(), 0u);
}

TEST_F(PlatformTest, SlowConsumerLosesOldestUpdatesAndIsTold) {
  PlatformOptions options;
  options.server.ws_send_queue = 4;
  start(options);
  WsClient ws(port(), live_target());
  ASSERT_TRUE(ws.read().has_value());
  ws.send(R"({"type": "subscribe", "channel": "agent.status"})");
  ASSERT_TRUE(ws.read().has_value());
  // Far more than the socket buffers hold, while the client does not read.
  const std::string payload = json{{"padding", std::string(256 << 10, 'x')}}.dump();
  for (int i = 0; i < 100; ++i) platform_->hub().publish("agent.status", payload);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int updates = 0;
  std::int64_t dropped = 0;
  while (auto message = ws.read(std::chrono::milliseconds(500))) {
    auto parsed = json::parse(*message);
    if (parsed["type"] == "lagged") dropped += parsed["data"]["dropped"].get<std::int64_t>();
    if (parsed["type"] == "update") ++updates;
  }
  EXPECT_GT(dropped, 0);
  EXPECT_EQ(updates + dropped, 100);
}

TEST_F(PlatformTest, ShutdownClosesLiveConnectionsWithGoingAway) {
  WsClient ws(port(), live_target());
  ASSERT_TRUE(ws.read().has_value());
  // Reading while the server stops, as a browser would, answers its close frame at once.
  auto closed = std::async(std::launch::async, [&ws] { return ws.read(); });
  platform_->stop();
  EXPECT_FALSE(closed.get().has_value());
  EXPECT_EQ(ws.close_reason().code, boost::beast::websocket::close_code::going_away);
}

}  // namespace
}  // namespace tars::app

namespace tars::app {
namespace {

class ConnectionLimitTest : public PlatformTest {
 protected:
  void SetUp() override {
    PlatformOptions options;
    options.server.max_connections = 2;
    start(std::move(options));
  }
};

TEST_F(ConnectionLimitTest, ConnectionsAboveTheMaximumGet503UntilOneCloses) {
  // Waits (up to 3 s) until at most `n` sessions are alive, e.g. the fixture's login closed.
  const auto wait_for_at_most = [&](int n) {
    for (int i = 0; i < 300 && platform_->server().connections() > n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return platform_->server().connections() <= n;
  };
  ASSERT_TRUE(wait_for_at_most(0));
  auto first = std::make_unique<HttpClient>(port());
  HttpClient second(port());
  ASSERT_EQ(first->request("GET", "/health").status, 200);
  ASSERT_EQ(second.request("GET", "/health").status, 200);
  {
    HttpClient third(port());
    const auto refused = third.request("GET", "/health");
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "unavailable");
  }
  // Once a connection closes, a new one is served.
  first.reset();
  ASSERT_TRUE(wait_for_at_most(1));
  EXPECT_EQ(HttpClient(port()).request("GET", "/health").status, 200);
}

}  // namespace
}  // namespace tars::app
