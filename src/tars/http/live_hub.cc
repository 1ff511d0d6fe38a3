#include "tars/http/live_hub.h"

#include <algorithm>

#include "tars/core/time.h"

namespace tars::http {
namespace {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

const std::vector<std::string>& live_channels() {
  static const std::vector<std::string> channels{"evaluation.updates", "agent.status",
                                                 "orchestration.step", "hypersync.events",
                                                 "tuning.trials"};
  return channels;
}

bool is_live_channel(std::string_view channel) {
  const auto& channels = live_channels();
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

std::string live_envelope(std::string_view type, std::string_view channel,
                          std::string_view data_json) {
  std::string out = "{\"type\":";
  append_json_string(out, type);
  if (!channel.empty()) {
    out += ",\"channel\":";
    append_json_string(out, channel);
  }
  if (!data_json.empty()) {
    out += ",\"data\":";
    out += data_json;
  }
  out += ",\"ts\":";
  append_json_string(out, core::format_iso8601(core::now()));
  out += '}';
  return out;
}

std::uint64_t LiveHub::add(const std::shared_ptr<LiveConnection>& connection) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  entries_[id] = Entry{connection, {}, std::chrono::steady_clock::now()};
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
  if (auto it = entries_.find(id); it != entries_.end()) it->second.channels.insert(channel);
}

void LiveHub::unsubscribe(std::uint64_t id, const std::string& channel) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(id); it != entries_.end()) it->second.channels.erase(channel);
}

std::size_t LiveHub::publish(const std::string& channel, const std::string& data_json) {
  auto message = std::make_shared<const LiveMessage>(
      LiveMessage{channel, live_envelope("update", channel, data_json)});
  std::vector<std::shared_ptr<LiveConnection>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : entries_) {
      if (!entry.channels.contains(channel)) continue;
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
