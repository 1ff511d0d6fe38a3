// One thread of the WebSocket load tool: non-blocking sockets on one epoll, a minimal RFC 6455
// client (handshake, unmasked server frames, fragmented messages, masked pong and subscribe
// frames). Beast's client would cost more CPU per message than the server it measures, and the
// two share this machine's cores, so its cost would show up as delivery latency.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tars::bench {

struct LoadTarget {
  int port = 0;
  std::string path;           // e.g. /ws/live?batch=true&access_token=...
  std::string first_message;  // sent once the handshake is done (the subscription)
};

struct LoadStats {
  int open = 0;
  int failed = 0;
  int closed = 0;
  std::int64_t updates = 0;
  std::int64_t messages = 0;  // WebSocket messages carrying them (batches hold several)
  std::vector<double> latency_ms;
  // (sent, received) of every update, as milliseconds since the epoch.
  std::vector<std::pair<double, double>> samples;
};

class LoadWorker {
 public:
  explicit LoadWorker(LoadTarget target);
  ~LoadWorker();
  LoadWorker(const LoadWorker&) = delete;
  LoadWorker& operator=(const LoadWorker&) = delete;

  // Asks the worker's thread to open `count` more connections.
  void open(int count) { requested_ += count; }
  // Runs until stop(); call on the worker's own thread.
  void run();
  void stop() { stopping_ = true; }
  // Read once run() has returned.
  const LoadStats& stats() const { return stats_; }

 private:
  struct Connection;

  void open_requested();
  void on_ready(Connection& connection, std::uint32_t events);
  void on_bytes(Connection& connection, std::string_view bytes);
  // Consumes the complete frames at the start of `bytes`; returns how many bytes it used.
  std::size_t on_frames(Connection& connection, std::string_view bytes);
  void on_frame(Connection& connection, int opcode, bool fin, std::string_view payload);
  void on_message(std::string_view text);
  void send_frame(Connection& connection, int opcode, std::string_view payload);
  void fail(Connection& connection);

  const LoadTarget target_;
  const int epoll_;
  std::atomic<int> requested_{0};
  std::atomic<bool> stopping_{false};
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<char> read_buffer_;  // shared by all connections: only leftovers are kept per one
  LoadStats stats_;
};

}  // namespace tars::bench
