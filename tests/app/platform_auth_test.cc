// Authentication and authorisation over real sockets: the role matrix, tokens, API keys, the
// one-time login link, rate limits, the audit log, the live feed's check and /metrics.
#include "app/platform_fixture.h"

namespace tars::app {
namespace {

class PlatformAuthTest : public PlatformTest {
 protected:
  // Creates a user with `role` through the admin API and returns its access token.
  std::string token_for(const std::string& username, const std::string& role) {
    auto client = admin();
    auto created = client.request(
        "POST", "/api/v1/admin/users",
        json{{"username", username}, {"password", "password-" + username}, {"role", role}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    return login(username, "password-" + username)["access_token"];
  }
};

TEST_F(PlatformAuthTest, EachRoleAgainstEachRouteClass) {
  const std::map<std::string, std::string> tokens{{"viewer", token_for("vera", "viewer")},
                                                  {"developer", token_for("dev", "developer")},
                                                  {"admin", admin_token_}};
  const json evaluation{{"policy", "random"}, {"environment", "CartPole-v1"}, {"episodes", 1}};
  const json baseline{{"agent_type", "x"},
                      {"environment", "CartPole-v1"},
                      {"metrics",
                       {{"mean_reward", 1.0},
                        {"std_reward", 0.0},
                        {"min_reward", 1.0},
                        {"max_reward", 1.0},
                        {"success_rate", 0.0},
                        {"mean_steps", 1.0},
                        {"action_entropy", 0.0},
                        {"reward_variance", 0.0}}}};
  struct Case {
    std::string method, target, body;
    std::map<std::string, int> expected;  // role ("" = anonymous) -> status
  };
  const std::vector<Case> cases{
      {"GET", "/health", "", {{"", 200}, {"viewer", 200}}},
      {"GET", "/api/v1/environments", "", {{"", 401}, {"viewer", 200}, {"developer", 200}}},
      {"GET", "/api/v1/evaluations", "", {{"", 401}, {"viewer", 200}, {"admin", 200}}},
      {"POST",
       "/api/v1/evaluations",
       evaluation.dump(),
       {{"", 401}, {"viewer", 403}, {"developer", 202}, {"admin", 202}}},
      {"POST",
       "/api/v1/baselines",
       baseline.dump(),
       {{"", 401}, {"viewer", 403}, {"developer", 403}, {"admin", 201}}},
      {"GET",
       "/api/v1/admin/users",
       "",
       {{"", 401}, {"viewer", 403}, {"developer", 403}, {"admin", 200}}},
      {"GET", "/api/v1/admin/audit", "", {{"developer", 403}, {"admin", 200}}},
  };
  for (const auto& c : cases) {
    for (const auto& [role, status] : c.expected) {
      HttpClient client(
          port(), role.empty() ? std::map<std::string, std::string>{} : bearer(tokens.at(role)));
      EXPECT_EQ(client.request(c.method, c.target, c.body).status, status)
          << c.method << " " << c.target << " as " << (role.empty() ? "anonymous" : role);
    }
  }
  auto denied = json::parse(admin().request("GET", "/api/v1/admin/audit?outcome=denied").body);
  EXPECT_GE(denied["total"].get<int>(), 5);
  EXPECT_EQ(denied["entries"][0]["outcome"], "denied");
}

TEST_F(PlatformAuthTest, BadCredentialsAre401WithTheErrorShape) {
  HttpClient garbage(port(), bearer("not-a-jwt"));
  auto reply = garbage.request("GET", "/api/v1/evaluations");
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(json::parse(reply.body)["error"]["code"], "unauthenticated");
  EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer");
  HttpClient basic(port(), {{"Authorization", "Basic YTpi"}});
  EXPECT_EQ(basic.request("GET", "/api/v1/evaluations").status, 401);
  HttpClient anonymous(port());
  auto wrong = anonymous.request("POST", "/api/v1/auth/login",
                                 json{{"username", "admin"}, {"password", "nope-nope"}}.dump());
  EXPECT_EQ(wrong.status, 401);
  auto missing = anonymous.request("POST", "/api/v1/auth/login", R"({"username": "admin"})");
  EXPECT_EQ(json::parse(missing.body)["error"]["field"], "password");
}

TEST_F(PlatformAuthTest, RefreshRotatesAndRefreshTokensAreNotAccessTokens) {
  const auto pair = login("admin", kAdminPassword);
  EXPECT_EQ(pair["token_type"], "bearer");
  EXPECT_EQ(pair["expires_in"], 3600);
  HttpClient with_refresh(port(), bearer(pair["refresh_token"]));
  EXPECT_EQ(with_refresh.request("GET", "/api/v1/evaluations").status, 401);

  HttpClient anonymous(port());
  const auto body = json{{"refresh_token", pair["refresh_token"]}}.dump();
  auto refreshed = anonymous.request("POST", "/api/v1/auth/refresh", body);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(anonymous.request("POST", "/api/v1/auth/refresh", body).status, 401);  // spent
  const auto next = json::parse(refreshed.body);
  HttpClient with_new(port(), bearer(next["access_token"]));
  EXPECT_EQ(with_new.request("GET", "/api/v1/auth/me").status, 200);
  const auto logout = json{{"refresh_token", next["refresh_token"]}}.dump();
  EXPECT_EQ(anonymous.request("POST", "/api/v1/auth/logout", logout).status, 204);
  EXPECT_EQ(anonymous.request("POST", "/api/v1/auth/refresh", logout).status, 401);
}

TEST_F(PlatformAuthTest, SigningKeyRotationKeepsOldTokensDuringTheGracePeriod) {
  auto client = admin();
  auto rotated = client.request("POST", "/api/v1/admin/signing-keys/rotate");
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  EXPECT_EQ(client.request("GET", "/api/v1/auth/me").status, 200);  // old key, within grace
  auto keys = json::parse(client.request("GET", "/api/v1/admin/signing-keys").body);
  ASSERT_EQ(keys["signing_keys"].size(), 2u);
  std::string old_kid;
  for (const auto& key : keys["signing_keys"]) {
    if (!key["signing"].get<bool>()) old_kid = key["kid"];
  }
  ASSERT_FALSE(old_kid.empty());
  const auto fresh = login("admin", kAdminPassword)["access_token"].get<std::string>();
  HttpClient fresh_client(port(), bearer(fresh));
  EXPECT_EQ(
      fresh_client.request("POST", "/api/v1/admin/signing-keys/" + old_kid + "/invalidate").status,
      204);
  EXPECT_EQ(client.request("GET", "/api/v1/auth/me").status, 401);  // its key is gone
  EXPECT_EQ(fresh_client.request("GET", "/api/v1/auth/me").status, 200);
}

TEST_F(PlatformAuthTest, ApiKeysAreShownOnceAndCanBeRevoked) {
  auto client = admin();
  auto created = client.request("POST", "/api/v1/admin/api-keys",
                                json{{"name", "ci"}, {"role", "developer"}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const auto key = json::parse(created.body);
  HttpClient service(port(), {{"X-API-Key", key["key"]}});
  EXPECT_EQ(service
                .request("POST", "/api/v1/evaluations",
                         R"({"policy": "random", "environment": "CartPole-v1"})")
                .status,
            202);
  auto listed = client.request("GET", "/api/v1/admin/api-keys").body;
  EXPECT_EQ(listed.find(key["key"].get<std::string>()), std::string::npos);  // never again
  const auto id = std::to_string(key["id"].get<int>());
  EXPECT_EQ(client.request("DELETE", "/api/v1/admin/api-keys/" + id).status, 204);
  HttpClient revoked(port(), {{"X-API-Key", key["key"]}});
  EXPECT_EQ(revoked.request("GET", "/api/v1/evaluations").status, 401);
}

TEST_F(PlatformAuthTest, OneTimeLoginTokenWorksOnce) {
  ASSERT_TRUE(bootstrap_.created);
  HttpClient anonymous(port());
  const auto body = json{{"token", bootstrap_.login_token}}.dump();
  auto first = anonymous.request("POST", "/api/v1/auth/token", body);
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(anonymous.request("POST", "/api/v1/auth/token", body).status, 401);
}

TEST_F(PlatformAuthTest, LoginIsRateLimitedWithHeaders) {
  HttpClient anonymous(port());
  const auto body = json{{"username", "admin"}, {"password", "wrong-password"}}.dump();
  test::HttpReply last;
  int refused = 0;
  for (int i = 0; i < 12; ++i) {
    last = anonymous.request("POST", "/api/v1/auth/login", body);
    if (last.status == 429) ++refused;
  }
  EXPECT_GE(refused, 1);  // the fixture's own login used one of the 10
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(last.header("X-RateLimit-Limit"), "10");
  EXPECT_EQ(last.header("X-RateLimit-Remaining"), "0");
  EXPECT_GE(std::stoi(last.header("Retry-After")), 1);
}

TEST_F(PlatformAuthTest, LiveFeedNeedsCredentials) {
  EXPECT_THROW(WsClient(port(), "/ws/live"), boost::system::system_error);
  EXPECT_THROW(WsClient(port(), "/ws/live?access_token=bad"), boost::system::system_error);
  WsClient ws(port(), live_target());
  EXPECT_EQ(json::parse(ws.read().value())["type"], "welcome");
}

TEST_F(PlatformAuthTest, MetricsCountRequestsByRoute) {
  auto client = admin();
  client.request("GET", "/api/v1/evaluations/12345");
  client.request("GET", "/api/v1/evaluations?agent_id=x");
  client.request("GET", "/api/v1/evaluations?agent_id=x");
  auto metrics = HttpClient(port()).request("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto& text = metrics.body;
  EXPECT_NE(
      text.find(
          R"(http_requests_total{method="GET",route="/api/v1/evaluations/{id}",status="404"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(tars_cache_requests_total{cache="evaluations",result="hit"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find("http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(text.find("process_resident_memory_bytes"), std::string::npos);
  EXPECT_NE(text.find("tars_websocket_connections 0"), std::string::npos);
  // Statements by verb and table: the list was read from the database once (then cached), the
  // login wrote the audit log.
  EXPECT_NE(text.find(R"(tars_db_query_duration_seconds_count{query="select evaluations"})"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(tars_db_query_duration_seconds_count{query="insert audit_log"})"),
            std::string::npos);
}

}  // namespace
}  // namespace tars::app
