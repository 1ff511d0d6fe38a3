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
  // The messages each subscription mask receives, selected once per mask, not per connection.
  std::vector<std::optional<LiveMessages>> by_mask(std::size_t{1} << live_channels().size());
  auto messages_for = [&](std::uint32_t mask) -> const LiveMessages& {
    auto& selected = by_mask[mask];
    if (!selected) {
      selected.emplace();
      for (const auto& message : messages) {
        if ((mask & channel_bit(message->channel)) != 0) selected->push_back(message);
      }
    }
    return *selected;
  };
  std::vector<std::pair<std::shared_ptr<LiveConnection>, const LiveMessages*>> targets;
  {
    std::lock_guard lock(mutex_);
    targets.reserve(entries_.size());
    for (const auto& [id, entry] : entries_) {
      const auto& selected = messages_for(entry.channels);
      if (selected.empty()) continue;
      if (auto connection = entry.connection.lock()) targets.emplace_back(connection, &selected);
    }
  }
  for (const auto& [connection, selected] : targets) connection->deliver(*selected);
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
