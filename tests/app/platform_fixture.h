// The fixture of the server tests: a Platform on a temporary SQLite database, port 0, an admin
// logged in, and real-socket clients.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "http_client.h"
#include "tars/app/platform.h"
#include "tars/auth/config_keys.h"
#include "tars/store/sqlite/sqlite_database.h"
#include "temp_dir.h"

namespace tars::app {

using nlohmann::json;
using test::HttpClient;
using test::WsClient;

class PlatformTest : public ::testing::Test {
 protected:
  void SetUp() override { start(PlatformOptions()); }

  void start(PlatformOptions options) {
    auto database = store::open_sqlite({.path = (dir_.path() / "tars.db").string()});
    ASSERT_TRUE(database.ok());
    ASSERT_TRUE((*database)->migrate().ok());
    std::filesystem::create_directories(dir_.path() / "web" / "assets");
    std::ofstream(dir_.path() / "web" / "index.html") << "<html>tars</html>";
    std::ofstream(dir_.path() / "web" / "assets" / "app-1234.js") << "console.log(1)";
    options.server.port = 0;
    options.server.threads = 2;
    options.admin_password = kAdminPassword;
    options.rate_limits = {{.route_class = std::string(auth::kLoginRouteClass), .per_minute = 10},
                           {.route_class = std::string(auth::kApiRouteClass), .per_minute = 600}};
    options.auth.password_limits = auth::minimum_password_limits();  // Argon2id, cheaply
    options.web_root = (dir_.path() / "web").string();
    platform_.reset();
    platform_ = std::make_unique<Platform>(std::move(options), std::move(*database));
    auto bootstrap = platform_->start();
    ASSERT_TRUE(bootstrap.ok()) << bootstrap.status().to_string();
    bootstrap_ = *bootstrap;
    admin_token_ = login("admin", kAdminPassword)["access_token"];
  }

  json login(const std::string& username, const std::string& password) {
    HttpClient anonymous(port());
    auto reply = anonymous.request("POST", "/api/v1/auth/login",
                                   json{{"username", username}, {"password", password}}.dump());
    EXPECT_EQ(reply.status, 200) << reply.body;
    return json::parse(reply.body);
  }

  std::map<std::string, std::string> bearer(const std::string& token) const {
    return {{"Authorization", "Bearer " + token}};
  }
  // A client authenticated as the admin.
  HttpClient admin() const { return HttpClient(port(), bearer(admin_token_)); }
  std::string live_target() const { return "/ws/live?access_token=" + admin_token_; }

  int port() const { return platform_->port(); }

  // Submits a heuristic CartPole evaluation and waits until it is finished.
  json evaluate(HttpClient& client, const std::string& agent_id) {
    const auto submitted = client.request("POST", "/api/v1/evaluations",
                                          json{{"policy", "heuristic"},
                                               {"environment", "CartPole-v1"},
                                               {"episodes", 3},
                                               {"agent_id", agent_id}}
                                              .dump());
    EXPECT_EQ(submitted.status, 202) << submitted.body;
    const auto location = submitted.header("Location");
    for (int i = 0; i < 500; ++i) {
      auto record = json::parse(client.request("GET", location).body);
      if (record["status"] == "completed" || record["status"] == "failed") return record;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "evaluation did not finish";
    return {};
  }

  static constexpr char kAdminPassword[] = "correct horse battery";
  test::TempDir dir_;
  std::unique_ptr<Platform> platform_;
  auth::BootstrapResult bootstrap_;
  std::string admin_token_;
};

}  // namespace tars::app
