// The live feed's channels: WebSocket connections subscribe to channels and the server's
// modules publish updates to them. Beast-free, so publishers need not include the server.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
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

using LiveMessages = std::vector<std::shared_ptr<const LiveMessage>>;

// What one fan-out hands every connection with the same subscriptions: the messages those
// select and, built once for all of them, the same messages as one `batch` message.
struct LiveDelivery {
  LiveMessages messages;
  std::string batch_text;  // live_batch of the messages' texts
};

// A connection as the hub sees it.
class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  // Queues the delivery's messages, in order; called from the hub's fan-out thread.
  virtual void deliver(const std::shared_ptr<const LiveDelivery>& delivery) = 0;
  // Closes with 1001 (going away); called from any thread.
  virtual void close_going_away() = 0;
};

// Publishing only queues: a fan-out thread hands each connection what was published within
// `coalesce_window` of the first pending update, all at once. A burst (an evaluation's queued,
// started, progress and completed) thus costs each of 10 000 connections one wake-up and, for
// batching clients, one frame and one system call instead of four.
class LiveHub {
 public:
  static constexpr std::chrono::milliseconds kDefaultCoalesceWindow{25};

  explicit LiveHub(std::chrono::milliseconds coalesce_window = kDefaultCoalesceWindow);
  ~LiveHub();
  LiveHub(const LiveHub&) = delete;
  LiveHub& operator=(const LiveHub&) = delete;

  // Connections register when they open and unregister when they close.
  std::uint64_t add(const std::shared_ptr<LiveConnection>& connection);
  void remove(std::uint64_t id);
  void subscribe(std::uint64_t id, const std::string& channel);
  void unsubscribe(std::uint64_t id, const std::string& channel);

  // Sends {"type": "update", "channel", "data": <data_json>, "ts"} to the channel's subscribers
  // (ts: now, so the coalescing window counts as delivery time).
  void publish(const std::string& channel, const std::string& data_json);
  // Called with each connection's lifetime in seconds when it is removed (metrics).
  void on_connection_closed(std::function<void(double seconds)> observer);
  // Delivers what is pending, then closes every connection with 1001 (server shutdown).
  void close_all();
  // Ends the fan-out thread; later updates are dropped. Call once the server's threads are gone.
  void stop();
  std::size_t connections() const;

 private:
  struct Entry {
    std::weak_ptr<LiveConnection> connection;
    std::uint32_t channels = 0;  // bit i: subscribed to live_channels()[i]
    std::chrono::steady_clock::time_point opened;
  };

  void fan_out_loop();
  // Hands the pending messages to their subscribers; fan-outs never overlap, so order holds.
  void fan_out();

  mutable std::mutex mutex_;  // entries_, next_id_, closed_observer_
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::uint64_t next_id_ = 1;
  std::function<void(double)> closed_observer_;

  const std::chrono::milliseconds coalesce_window_;
  std::mutex fan_out_mutex_;
  std::mutex pending_mutex_;  // pending_, stopping_
  std::condition_variable pending_changed_;
  LiveMessages pending_;
  bool stopping_ = false;
  std::thread fan_out_thread_;  // last: starts once everything above exists
};

// {"type", "channel"?, "data"?, "ts"} with ts as ISO-8601 now.
std::string live_envelope(std::string_view type, std::string_view channel,
                          std::string_view data_json);
// {"type": "batch", "ts", "data": [the texts, in order]}.
std::string live_batch(const std::vector<const std::string*>& texts);

}  // namespace tars::http
