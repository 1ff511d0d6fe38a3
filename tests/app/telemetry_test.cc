// POST /api/v1/telemetry/websocket over real sockets: browsers' reconnections and connection
// durations land in /metrics under source="browser", next to the server's own observations
// (source="server"); bad reports name the field and count nothing.
#include "app/platform_fixture.h"

namespace tars::app {
namespace {

class TelemetryTest : public PlatformTest {
 protected:
  std::string metrics_text() { return HttpClient(port()).request("GET", "/metrics").body; }

  static bool has(const std::string& text, const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
  }

  HttpClient viewer() {
    auto client = admin();
    auto created = client.request(
        "POST", "/api/v1/admin/users",
        json{{"username", "vera"}, {"password", "password-vera"}, {"role", "viewer"}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    return HttpClient(port(), bearer(login("vera", "password-vera")["access_token"]));
  }
};

TEST_F(TelemetryTest, ReportsCountUnderTheBrowserSource) {
  auto before = metrics_text();
  EXPECT_TRUE(has(before, R"(tars_websocket_reconnections_total{source="browser"} 0)")) << before;
  EXPECT_TRUE(
      has(before, R"(tars_websocket_connection_duration_seconds_count{source="browser"} 0)"))
      << before;

  auto client = viewer();  // any authenticated role may report
  auto first = client.request(
      "POST", "/api/v1/telemetry/websocket",
      json{{"reconnections", 3}, {"connection_durations_seconds", {0.5, 12.0, 4000.0}}}.dump());
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(json::parse(first.body), (json{{"reconnections", 3}, {"connection_durations", 3}}));
  auto second =
      client.request("POST", "/api/v1/telemetry/websocket", json{{"reconnections", 2}}.dump());
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(client.request("POST", "/api/v1/telemetry/websocket", "{}").status, 200);

  const auto text = metrics_text();
  EXPECT_TRUE(has(text, R"(tars_websocket_reconnections_total{source="browser"} 5)")) << text;
  EXPECT_TRUE(has(text, R"(tars_websocket_connection_duration_seconds_count{source="browser"} 3)"))
      << text;
  EXPECT_TRUE(
      has(text, R"(tars_websocket_connection_duration_seconds_sum{source="browser"} 4012.5)"))
      << text;
  EXPECT_TRUE(
      has(text, R"(tars_websocket_connection_duration_seconds_bucket{source="browser",le="1"} 1)"))
      << text;
  EXPECT_TRUE(
      has(text, R"(tars_websocket_connection_duration_seconds_bucket{source="browser",le="60"} 2)"))
      << text;
  // No server-side connection has closed yet.
  EXPECT_TRUE(has(text, R"(tars_websocket_connection_duration_seconds_count{source="server"} 0)"))
      << text;
}

TEST_F(TelemetryTest, ServerObservationsKeepTheirOwnSource) {
  {
    WsClient ws(port(), live_target());
    EXPECT_EQ(json::parse(ws.read().value())["type"], "welcome");
  }
  std::string text;
  for (int i = 0; i < 200; ++i) {  // the close is observed on the server's thread
    text = metrics_text();
    if (has(text, R"(tars_websocket_connection_duration_seconds_count{source="server"} 1)")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(has(text, R"(tars_websocket_connection_duration_seconds_count{source="server"} 1)"))
      << text;
  EXPECT_TRUE(has(text, R"(tars_websocket_connection_duration_seconds_count{source="browser"} 0)"))
      << text;
}

TEST_F(TelemetryTest, BadReportsNameTheFieldAndCountNothing) {
  auto client = admin();
  const std::pair<json, std::string> cases[] = {
      {json{{"reconnections", -1}}, "reconnections"},
      {json{{"reconnections", 1.5}}, "reconnections"},
      {json{{"reconnections", "2"}}, "reconnections"},
      {json{{"reconnections", 1000000000}}, "reconnections"},
      {json{{"connection_durations_seconds", 3}}, "connection_durations_seconds"},
      {json{{"reconnections", 1}, {"connection_durations_seconds", {1.0, -2.0}}},
       "connection_durations_seconds[1]"},
      {json{{"connection_durations_seconds", {"x"}}}, "connection_durations_seconds[0]"},
      {json{{"connection_durations_seconds", std::vector<double>(101, 1.0)}},
       "connection_durations_seconds"},
      {json{{"reconnection", 1}}, "reconnection"},
  };
  for (const auto& [body, field] : cases) {
    auto reply = client.request("POST", "/api/v1/telemetry/websocket", body.dump());
    EXPECT_EQ(reply.status, 400) << body.dump();
    EXPECT_EQ(json::parse(reply.body)["error"]["field"], field) << reply.body;
  }
  auto not_json = client.request("POST", "/api/v1/telemetry/websocket", "reconnections=1");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(json::parse(not_json.body)["error"]["field"], "body");
  EXPECT_EQ(HttpClient(port()).request("POST", "/api/v1/telemetry/websocket", "{}").status, 401);

  const auto text = metrics_text();
  EXPECT_TRUE(has(text, R"(tars_websocket_reconnections_total{source="browser"} 0)")) << text;
  EXPECT_TRUE(has(text, R"(tars_websocket_connection_duration_seconds_count{source="browser"} 0)"))
      << text;
}

}  // namespace
}  // namespace tars::app
