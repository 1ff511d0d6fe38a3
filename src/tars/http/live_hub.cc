#include "tars/http/live_hub.h"

#include <algorithm>

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

std::size_t LiveHub::publish(const std::string& channel, const std::string& data_json) {
  auto message = std::make_shared<const LiveMessage>(
      LiveMessage{channel, live_envelope("update", channel, data_json)});
  const std::uint32_t bit = channel_bit(channel);
  std::vector<std::shared_ptr<LiveConnection>> targets;
  {
    std::lock_guard lock(mutex_);
    targets.reserve(entries_.size());
    for (const auto& [id, entry] : entries_) {
      if ((entry.channels & bit) == 0) continue;
      if (auto connection = entry.connection.lock()) targets.push_back(std::move(connection));
    }
  }
  for (const auto& connection : targets) connection->deliver(message);
  return targets.size();
}

void LiveHub::close_all() {
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
