// One /ws/live connection: subscribe / unsubscribe / ping from the client, updates from the hub,
// a heartbeat, and a bounded send queue that drops a slow consumer's oldest updates. Clients
// that ask for it (?batch=true) receive what queued up during a write as one `batch` message:
// one frame and one system call instead of one per update, which is what lets a server keep
// 10 000 dashboards current during bursts.
#include <fmt/format.h>

#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "tars/core/log.h"
#include "tars/http/server_impl.h"

namespace tars::http {
namespace {

namespace websocket = beast::websocket;

// How long the opening and closing handshakes may take before the socket is simply closed.
constexpr std::chrono::seconds kHandshakeTimeout{5};
// A batch holds at most this many messages and bytes (but always at least one message).
constexpr std::size_t kMaxBatch = 64;
constexpr std::size_t kMaxBatchBytes = 256 * 1024;

class WebSocketSession : public LiveConnection,
                         public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(Server::Impl& server, beast::tcp_stream stream, std::string client_ip,
                   bool batch)
      : server_(server),
        ws_(std::move(stream)),
        heartbeat_(ws_.get_executor()),
        client_ip_(std::move(client_ip)),
        batch_(batch) {
    ++server_.connections;
  }
  ~WebSocketSession() override {
    server_.hub.remove(hub_id_);
    --server_.connections;
  }

  void run(BeastRequest request) {
    ws_.set_option(
        websocket::stream_base::timeout{kHandshakeTimeout, websocket::stream_base::none(), false});
    ws_.read_message_max(64 * 1024);
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::pong) awaiting_pong_ = false;
    });
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code error) {
      if (error) return self->fail(error);
      self->hub_id_ = self->server_.hub.add(self);
      self->queue(live_envelope("welcome", "", self->welcome_data()));
      self->schedule_ping();
      self->read();
    });
  }

  // The hub only appends to `arrived_`; the strand is woken once per fan-out, not per update.
  void deliver(const std::shared_ptr<const LiveDelivery>& delivery) override {
    {
      std::lock_guard lock(arrived_mutex_);
      const bool woken = !arrived_.empty();  // a wake-up is already on its way
      arrived_.push_back(delivery);
      if (woken) return;
    }
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->take_arrived(); });
  }

  void close_going_away() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      self->closing_ = true;
      self->heartbeat_.cancel();
      self->ws_.async_close(websocket::close_code::going_away,
                            [self](beast::error_code) { self->shutdown(); });
    });
  }

 private:
  struct Outgoing {
    std::shared_ptr<const std::string> text;
    std::string_view channel;  // the update's (text keeps it alive); "" for replies, never dropped
    const LiveDelivery* delivery = nullptr;  // the fan-out an update came from (text keeps it)
  };

  std::string welcome_data() const {
    return nlohmann::json{{"ping_interval", server_.options.ws_ping_interval.count()},
                          {"ping_timeout", server_.options.ws_ping_timeout.count()},
                          {"max_reconnect_delay", server_.options.ws_max_reconnect_delay.count()},
                          {"channels", live_channels()}}
        .dump();
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (error) return self->fail(error);
      self->on_message(beast::buffers_to_string(self->buffer_.data()));
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  void on_message(const std::string& text) {
    const auto message = nlohmann::json::parse(text, nullptr, false);
    if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) {
      return reply_error("messages must be JSON objects with a string \"type\"");
    }
    const std::string type = message["type"];
    if (type == "ping") return queue(live_envelope("pong", "", ""));
    if (type != "subscribe" && type != "unsubscribe") {
      return reply_error("unknown message type '" + type +
                         "' (expected subscribe, unsubscribe or ping)");
    }
    const std::string channel = message.value("channel", "");
    if (!is_live_channel(channel)) {
      return reply_error(fmt::format("unknown channel '{}' (channels: {})", channel,
                                     fmt::join(live_channels(), ", ")));
    }
    if (type == "subscribe") {
      server_.hub.subscribe(hub_id_, channel);
    } else {
      server_.hub.unsubscribe(hub_id_, channel);
    }
    queue(live_envelope(type == "subscribe" ? "subscribed" : "unsubscribed", channel, ""));
  }

  void reply_error(const std::string& text) {
    queue(live_envelope("error", "", nlohmann::json{{"message", text}}.dump()));
  }

  void queue(std::string text) {
    outgoing_.push_back({std::make_shared<const std::string>(std::move(text)), ""});
    write();
  }

  void take_arrived() {
    {
      std::lock_guard lock(arrived_mutex_);
      arrived_.swap(taking_);
    }
    for (const auto& delivery : taking_) {
      for (const auto& message : delivery->messages) enqueue_update(delivery, *message);
    }
    taking_.clear();  // keeps its capacity: no allocation per fan-out
    write();
  }

  // A full queue loses the oldest queued update of the same channel (or, failing that, of any
  // channel); the client hears how many it lost in a `lagged` message before the next write.
  void enqueue_update(const std::shared_ptr<const LiveDelivery>& delivery,
                      const LiveMessage& message) {
    if (closing_) return;
    if (outgoing_.size() >= server_.options.ws_send_queue) {
      auto victim = outgoing_.end();
      // The first in_flight_ messages are on the wire: never drop them.
      for (auto it = outgoing_.begin() + static_cast<std::ptrdiff_t>(in_flight_);
           it != outgoing_.end(); ++it) {
        if (it->channel == message.channel) {
          victim = it;
          break;
        }
        if (victim == outgoing_.end() && !it->channel.empty()) victim = it;
      }
      if (victim == outgoing_.end()) return;  // nothing droppable: drop the new update itself
      ++lagged_[std::string(victim->channel)];
      outgoing_.erase(victim);
    }
    outgoing_.push_back({std::shared_ptr<const std::string>(delivery, &message.text),
                         message.channel, delivery.get()});
  }

  void write() {
    if (writing_ || outgoing_.empty() || closing_) return;
    if (!lagged_.empty()) {  // tell the client what it lost, ahead of what is queued
      for (const auto& [channel, dropped] : lagged_) {
        outgoing_.push_front({std::make_shared<const std::string>(live_envelope(
                                  "lagged", channel, nlohmann::json{{"dropped", dropped}}.dump())),
                              ""});
      }
      lagged_.clear();
    }
    writing_ = true;
    in_flight_ = batch_ ? batch_size() : 1;
    ws_.text(true);
    ws_.async_write(asio::buffer(in_flight_ == 1 ? *outgoing_.front().text : batch_text()),
                    [self = shared_from_this()](beast::error_code error, std::size_t) {
                      self->writing_ = false;
                      if (error) return self->fail(error);
                      self->outgoing_.erase(
                          self->outgoing_.begin(),
                          self->outgoing_.begin() + static_cast<std::ptrdiff_t>(self->in_flight_));
                      self->in_flight_ = 0;
                      // Idle connections hold no batch buffer (10 000 of them would add up).
                      std::string().swap(self->batch_text_);
                      self->write();
                    });
  }

  // How many queued messages the next batch takes: the whole delivery at the front if none of it
  // was dropped (its shared batch is sent), else as many as the limits allow.
  std::size_t batch_size() const {
    if (const auto* delivery = whole_delivery_at_front()) return delivery->messages.size();
    std::size_t count = 1;
    std::size_t bytes = outgoing_.front().text->size();
    while (count < outgoing_.size() && count < kMaxBatch &&
           bytes + outgoing_[count].text->size() <= kMaxBatchBytes) {
      bytes += outgoing_[count++].text->size();
    }
    return count;
  }

  // The delivery whose messages, all of them and in order, start the queue and fit in one
  // batch; else null.
  const LiveDelivery* whole_delivery_at_front() const {
    const auto* delivery = outgoing_.front().delivery;
    if (delivery == nullptr || delivery->messages.size() > outgoing_.size() ||
        delivery->messages.size() > kMaxBatch || delivery->batch_text.size() > kMaxBatchBytes) {
      return nullptr;
    }
    for (std::size_t i = 0; i < delivery->messages.size(); ++i) {
      if (outgoing_[i].text.get() != &delivery->messages[i]->text) return nullptr;
    }
    return delivery;
  }

  // The first in_flight_ queued messages as one batch: the hub's shared one when they are a
  // whole delivery, else one built for this connection.
  const std::string& batch_text() {
    const auto* delivery = whole_delivery_at_front();
    if (delivery != nullptr && delivery->messages.size() == in_flight_) return delivery->batch_text;
    std::vector<const std::string*> texts;
    texts.reserve(in_flight_);
    for (std::size_t i = 0; i < in_flight_; ++i) texts.push_back(outgoing_[i].text.get());
    batch_text_ = live_batch(texts);
    return batch_text_;
  }

  // Ping every interval; no pong within the timeout drops the connection.
  void schedule_ping() {
    heartbeat_.expires_after(server_.options.ws_ping_interval);
    heartbeat_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (error || self->closing_) return;
      self->awaiting_pong_ = true;
      self->ws_.async_ping({}, [self](beast::error_code e) {
        if (e) self->fail(e);
      });
      self->heartbeat_.expires_after(self->server_.options.ws_ping_timeout);
      self->heartbeat_.async_wait([self](beast::error_code e) {
        if (e || self->closing_) return;
        if (self->awaiting_pong_) {
          core::Logger("http").info("websocket {}: no pong within {} s, dropping", self->client_ip_,
                                    self->server_.options.ws_ping_timeout.count());
          return self->shutdown();
        }
        self->schedule_ping();
      });
    });
  }

  // The one place where a connection's errors end it.
  void fail(beast::error_code error) {
    if (error != websocket::error::closed && error != asio::error::operation_aborted &&
        error != asio::error::eof && error != beast::error::timeout) {
      core::Logger("http").debug("websocket {}: {}", client_ip_, error.message());
    }
    shutdown();
  }

  void shutdown() {
    closing_ = true;
    heartbeat_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  Server::Impl& server_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  asio::steady_timer heartbeat_;
  std::string client_ip_;
  std::uint64_t hub_id_ = 0;
  const bool batch_;  // the client asked for batches
  std::mutex arrived_mutex_;
  std::vector<std::shared_ptr<const LiveDelivery>> arrived_;  // published, not yet queued
  std::vector<std::shared_ptr<const LiveDelivery>> taking_;   // being queued (keeps capacity)
  std::deque<Outgoing> outgoing_;
  std::size_t in_flight_ = 0;                   // messages of outgoing_'s front being written
  std::string batch_text_;                      // the batch being written
  std::map<std::string, std::int64_t> lagged_;  // channel -> updates dropped since last told
  bool writing_ = false;
  bool closing_ = false;
  bool awaiting_pong_ = false;
};

}  // namespace

void start_websocket_session(Server::Impl& server, beast::tcp_stream stream, BeastRequest request,
                             std::string client_ip, bool batch) {
  if (server.draining) return;
  auto session =
      std::make_shared<WebSocketSession>(server, std::move(stream), std::move(client_ip), batch);
  session->run(std::move(request));
}

}  // namespace tars::http
