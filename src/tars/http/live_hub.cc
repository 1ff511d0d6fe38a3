#include "tars/http/live_hub.h"

#include <algorithm>
#include <optional>

#include "tars/core/json_writer.h"
#include "tars/core/time.h"

namespace tars::http {

const std::vector<std::string>& live_channels() {
  static const std::vector<std::string> channels{"evaluation.updates", "agent.status",
                                                 "orchestration.step", "hypersync.events",
                                                 "tuning.trials"};
  return channels;
}

namespace {

// The bit of `channel` in LiveHub's subscription masks; 0 for an unknown channel.
std::uint32_t channel_bit(std::string_view channel) {
  const auto& channels = live_channels();
  const auto it = std::find(channels.begin(), channels.end(), channel);
  return it == channels.end() ? 0u : 1u << (it - channels.begin());
}

// The messages a connection subscribed to `mask` receives, with their batch; null if none.
std::shared_ptr<const LiveDelivery> select_for(const LiveMessages& messages, std::uint32_t mask) {
  auto delivery = std::make_shared<LiveDelivery>();
  std::vector<const std::string*> texts;
  for (const auto& message : messages) {
    if ((mask & channel_bit(message->channel)) == 0) continue;
    delivery->messages.push_back(message);
    texts.push_back(&message->text);
  }
  if (texts.empty()) return nullptr;
  delivery->batch_text = live_batch(texts);
  return delivery;
}

}  // namespace

bool is_live_channel(std::string_view channel) { return channel_bit(channel) != 0; }

std::string live_envelope(std::string_view type, std::string_view channel,
                          std::string_view data_json) {
  std::string out = "{\"type\":";
  core::append_json_string(out, type);
  if (!channel.empty()) {
    out += ",\"channel\":";
    core::append_json_string(out, channel);
  }
  if (!data_json.empty()) {
    out += ",\"data\":";
    out += data_json;
  }
  out += ",\"ts\":";
  core::append_json_string(out, core::format_iso8601(core::now()));
  out += '}';
  return out;
}

std::string live_batch(const std::vector<const std::string*>& texts) {
  std::size_t size = 64;
  for (const auto* text : texts) size += text->size() + 1;
  std::string out;
  out.reserve(size);
  out += live_envelope("batch", "", "");
  out.pop_back();  // the closing brace: data follows
  out += ",\"data\":[";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out += ',';
    out += *texts[i];
  }
  out += "]}";
  return out;
}

LiveHub::LiveHub(std::chrono::milliseconds coalesce_window)
    : coalesce_window_(coalesce_window), fan_out_thread_([this] { fan_out_loop(); }) {}

LiveHub::~LiveHub() { stop(); }

void LiveHub::stop() {
  {
    std::lock_guard lock(pending_mutex_);
    stopping_ = true;
  }
  pending_changed_.notify_one();
  if (fan_out_thread_.joinable()) fan_out_thread_.join();
}

std::uint64_t LiveHub::add(const std::shared_ptr<LiveConnection>& connection) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  entries_[id] = Entry{connection, 0, std::chrono::steady_clock::now()};
  return id;
}

void LiveHub::remove(std::uint64_t id) {
  std::function<void(double)> observer;
  double seconds = 0.0;
  {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(id);
    if (it == entries_.end()) return;
    seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.opened).count();
    entries_.erase(it);
    observer = closed_observer_;
  }
  if (observer) observer(seconds);
}

void LiveHub::on_connection_closed(std::function<void(double seconds)> observer) {
  std::lock_guard lock(mutex_);
  closed_observer_ = std::move(observer);
}

void LiveHub::subscribe(std::uint64_t id, const std::string& channel) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(id); it != entries_.end())
    it->second.channels |= channel_bit(channel);
}

void LiveHub::unsubscribe(std::uint64_t id, const std::string& channel) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(id); it != entries_.end())
    it->second.channels &= ~channel_bit(channel);
}

void LiveHub::publish(const std::string& channel, const std::string& data_json) {
  auto message = std::make_shared<const LiveMessage>(
      LiveMessage{channel, live_envelope("update", channel, data_json)});
  {
    std::lock_guard lock(pending_mutex_);
    if (stopping_) return;
    pending_.push_back(std::move(message));
    if (pending_.size() > 1) return;  // the fan-out thread already knows
  }
  pending_changed_.notify_one();
}

void LiveHub::fan_out_loop() {
  std::unique_lock lock(pending_mutex_);
  while (true) {
    pending_changed_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    pending_changed_.wait_for(lock, coalesce_window_, [this] { return stopping_; });
    lock.unlock();
    fan_out();
    lock.lock();
  }
}

void LiveHub::fan_out() {
  std::lock_guard fan_out_lock(fan_out_mutex_);
  LiveMessages messages;
  {
    std::lock_guard lock(pending_mutex_);
    messages.swap(pending_);
  }
  if (messages.empty()) return;
  // What each subscription mask receives, selected and serialised once, not per connection.
  using Selected = std::shared_ptr<const LiveDelivery>;  // null: nothing for that mask
  std::vector<std::optional<Selected>> by_mask(std::size_t{1} << live_channels().size());
  auto delivery_for = [&](std::uint32_t mask) -> const Selected& {
    auto& selected = by_mask[mask];
    if (!selected) selected = select_for(messages, mask);
    return *selected;
  };
  std::vector<std::pair<std::shared_ptr<LiveConnection>, const Selected*>> targets;
  {
    std::lock_guard lock(mutex_);
    targets.reserve(entries_.size());
    for (const auto& [id, entry] : entries_) {
      const auto& delivery = delivery_for(entry.channels);
      if (!delivery) continue;
      if (auto connection = entry.connection.lock()) targets.emplace_back(connection, &delivery);
    }
  }
  for (const auto& [connection, delivery] : targets) connection->deliver(*delivery);
}

void LiveHub::close_all() {
  fan_out();
  std::vector<std::shared_ptr<LiveConnection>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : entries_) {
      if (auto connection = entry.connection.lock()) targets.push_back(std::move(connection));
    }
  }
  for (const auto& connection : targets) connection->close_going_away();
}

std::size_t LiveHub::connections() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace tars::http
