// The HTTP/1.1 + WebSocket server on Boost.Beast: an Asio thread pool, one strand per
// connection, limits with clear errors, idle and read timeouts, graceful shutdown. Beast itself
// stays in server.cc and the session files.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tars/core/status.h"
#include "tars/http/live_hub.h"
#include "tars/http/router.h"

namespace tars::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                            // 0: any free port (tests)
  int threads = 0;                            // 0: one per core
  std::size_t max_body_bytes = 1 << 20;       // larger bodies get 413
  std::size_t max_header_bytes = 16 << 10;    // larger headers get 431
  std::chrono::seconds idle_timeout{60};      // a keep-alive connection waiting this long closes
  std::chrono::seconds read_timeout{15};      // a request must arrive whole within this
  int max_connections = 20000;                // more get 503 and are closed
  std::chrono::seconds ws_ping_interval{30};  // WEBSOCKET_PING_INTERVAL
  std::chrono::seconds ws_ping_timeout{10};   // WEBSOCKET_PING_TIMEOUT
  std::size_t ws_send_queue = 256;            // messages queued per connection at most
  std::chrono::seconds ws_max_reconnect_delay{30};  // told to clients in `welcome`
  std::chrono::seconds shutdown_grace{10};          // in-flight requests get this long to finish
};

class Server {
 public:
  // `router` and `hub` must outlive the server.
  Server(ServerOptions options, const Router& router, LiveHub& hub);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Decides whether a /ws/live upgrade may proceed: nullopt allows it, a response refuses it
  // (e.g. 401). Set before start(); default: every upgrade is allowed.
  using UpgradeCheck = std::function<std::optional<Response>(Request&)>;
  void set_upgrade_check(UpgradeCheck check);

  // Binds, listens and starts the threads; an address in use or a bad host is an error naming it.
  core::Status start();
  // The port listened on (the chosen one when options.port was 0).
  int port() const;
  // HTTP and WebSocket sessions alive (the ones http_max_connections counts).
  int connections() const;
  // Stops accepting, closes WebSockets with 1001, lets in-flight requests finish (up to the
  // grace period), then stops the threads. Idempotent.
  void stop();
  // Blocks until SIGINT or SIGTERM, then stop().
  void run_until_signal();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tars::http
