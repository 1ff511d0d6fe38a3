// Internal to the server's sources: the Beast and Asio types behind Server. Not for other modules.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "tars/http/server.h"

namespace tars::http {

namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using BeastRequest = beast::http::request<beast::http::string_body>;

// Something the server can ask to finish up when it shuts down.
class Drainable {
 public:
  virtual ~Drainable() = default;
  // Called from any thread: close now if idle, else after the current request.
  virtual void drain() = 0;
};

struct Server::Impl {
  Impl(ServerOptions options, const Router& router, LiveHub& hub);

  ServerOptions options;
  const Router& router;
  LiveHub& hub;
  // One io_context per thread, each connection on one of them (round robin): a request never
  // wakes a second thread, which with one shared io_context cost a fifth of a cached request's CPU.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::size_t next_context = 0;  // the next accepted connection's (used by accept() only)
  tcp::acceptor acceptor;        // on contexts.front()
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  Server::UpgradeCheck upgrade_check;
  std::atomic<bool> draining{false};
  std::atomic<int> connections{0};  // HTTP and WebSocket sessions alive
  std::mutex sessions_mutex;
  std::unordered_map<Drainable*, std::weak_ptr<Drainable>> sessions;  // HTTP sessions
  bool stopped = false;

  void accept();
  void track(const std::shared_ptr<Drainable>& session);
  void untrack(Drainable* session);
};

// A handler's view of a parsed request (its body is moved out); a malformed query is an error.
core::Expected<Request> make_request(BeastRequest& beast_request, const std::string& client_ip);

// Runs the WebSocket protocol on an upgraded connection (websocket_session.cc); `batch` sends
// what queues up during a write as one `batch` message.
void start_websocket_session(Server::Impl& server, beast::tcp_stream stream, BeastRequest request,
                             std::string client_ip, bool batch);

}  // namespace tars::http
