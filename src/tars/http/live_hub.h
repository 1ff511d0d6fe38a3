// The live feed's channels: WebSocket connections subscribe to channels and the server's
// modules publish updates to them. Beast-free, so publishers need not include the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tars::http {

// evaluation.updates, agent.status, orchestration.step, hypersync.events, tuning.trials.
const std::vector<std::string>& live_channels();
bool is_live_channel(std::string_view channel);

// One message ready to send to every subscriber: serialised once, shared.
struct LiveMessage {
  std::string channel;
  std::string text;  // {"type": "update", "channel", "data", "ts"}
};

// A connection as the hub sees it.
class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  // Queues the message; called from any thread.
  virtual void deliver(std::shared_ptr<const LiveMessage> message) = 0;
  // Closes with 1001 (going away); called from any thread.
  virtual void close_going_away() = 0;
};

class LiveHub {
 public:
  // Connections register when they open and unregister when they close.
  std::uint64_t add(const std::shared_ptr<LiveConnection>& connection);
  void remove(std::uint64_t id);
  void subscribe(std::uint64_t id, const std::string& channel);
  void unsubscribe(std::uint64_t id, const std::string& channel);

  // Sends {"type": "update", "channel", "data": <data_json>, "ts"} to the channel's subscribers.
  // Returns how many connections it was queued for.
  std::size_t publish(const std::string& channel, const std::string& data_json);
  // Called with each connection's lifetime in seconds when it is removed (metrics).
  void on_connection_closed(std::function<void(double seconds)> observer);
  // Closes every connection with 1001 (server shutdown).
  void close_all();
  std::size_t connections() const;

 private:
  struct Entry {
    std::weak_ptr<LiveConnection> connection;
    std::uint32_t channels = 0;  // bit i: subscribed to live_channels()[i]
    std::chrono::steady_clock::time_point opened;
  };

  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::uint64_t next_id_ = 1;
  std::function<void(double)> closed_observer_;
};

// {"type", "channel"?, "data"?, "ts"} with ts as ISO-8601 now.
std::string live_envelope(std::string_view type, std::string_view channel,
                          std::string_view data_json);

}  // namespace tars::http
