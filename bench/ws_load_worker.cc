#include "ws_load_worker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

#include "tars/core/time.h"

namespace tars::bench {
namespace {

enum Opcode { kContinuation = 0, kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10 };

constexpr std::size_t kReadBufferBytes = 256 * 1024;
constexpr int kEventsPerWait = 512;
constexpr std::array<std::uint8_t, 4> kMaskKey{0x37, 0xfa, 0x21, 0x3d};

std::uint8_t byte_at(std::string_view bytes, std::size_t i) {
  return static_cast<std::uint8_t>(bytes[i]);
}

}  // namespace

struct LoadWorker::Connection {
  enum class Stage { kConnecting, kHandshake, kOpen, kDone };
  int fd = -1;
  Stage stage = Stage::kConnecting;
  std::string pending;  // received, not yet consumed: part of a frame or of the response
  std::string message;  // the fragments of a message being assembled
};

LoadWorker::LoadWorker(LoadTarget target)
    : target_(std::move(target)), epoll_(epoll_create1(0)), read_buffer_(kReadBufferBytes) {
  if (epoll_ < 0) throw std::runtime_error("epoll_create1 failed");
}

LoadWorker::~LoadWorker() {
  for (const auto& connection : connections_) {
    if (connection->fd >= 0) ::close(connection->fd);
  }
  ::close(epoll_);
}

void LoadWorker::run() {
  std::vector<epoll_event> events(kEventsPerWait);
  while (!stopping_) {
    open_requested();
    const int ready = epoll_wait(epoll_, events.data(), kEventsPerWait, 20);
    for (int i = 0; i < ready; ++i) {
      on_ready(*static_cast<Connection*>(events[i].data.ptr), events[i].events);
    }
  }
}

void LoadWorker::open_requested() {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(target_.port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  while (static_cast<int>(connections_.size()) < requested_) {
    auto& connection = *connections_.emplace_back(std::make_unique<Connection>());
    connection.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (connection.fd < 0) {
      fail(connection);
      continue;
    }
    const int status =
        connect(connection.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.ptr = &connection;
    if ((status != 0 && errno != EINPROGRESS) ||
        epoll_ctl(epoll_, EPOLL_CTL_ADD, connection.fd, &event) != 0) {
      fail(connection);
    }
  }
}

void LoadWorker::on_ready(Connection& connection, std::uint32_t events) {
  using Stage = Connection::Stage;
  if (connection.stage == Stage::kDone) return;
  if (connection.stage == Stage::kConnecting) {
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length);
    const std::string request = "GET " + target_.path +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nSec-WebSocket-Key: "
                                "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    if (error != 0 || send(connection.fd, request.data(), request.size(), MSG_NOSIGNAL) !=
                          static_cast<ssize_t>(request.size())) {
      return fail(connection);
    }
    connection.stage = Stage::kHandshake;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = &connection;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, connection.fd, &event);
    return;
  }
  if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) == 0) return;
  const ssize_t received = recv(connection.fd, read_buffer_.data(), read_buffer_.size(), 0);
  if (received > 0) return on_bytes(connection, {read_buffer_.data(), std::size_t(received)});
  if (received < 0 && (errno == EAGAIN || errno == EINTR)) return;
  fail(connection);  // closed by the server, or an error
}

void LoadWorker::on_bytes(Connection& connection, std::string_view bytes) {
  using Stage = Connection::Stage;
  std::string_view data = bytes;
  if (!connection.pending.empty()) {
    connection.pending.append(bytes);
    data = connection.pending;
  }
  std::size_t used = 0;
  if (connection.stage == Stage::kHandshake) {
    const auto end = data.find("\r\n\r\n");
    if (end != std::string_view::npos) {
      if (data.substr(0, 12) != "HTTP/1.1 101") return fail(connection);
      connection.stage = Stage::kOpen;
      ++stats_.open;
      send_frame(connection, kText, target_.first_message);
      used = end + 4;
    }
  }
  if (connection.stage == Stage::kOpen) used += on_frames(connection, data.substr(used));
  if (connection.stage == Stage::kDone) return;
  if (connection.pending.empty()) {
    connection.pending.assign(data.substr(used));
  } else {
    connection.pending.erase(0, used);
  }
}

std::size_t LoadWorker::on_frames(Connection& connection, std::string_view bytes) {
  std::size_t at = 0;
  while (connection.stage == Connection::Stage::kOpen) {
    const auto rest = bytes.substr(at);
    if (rest.size() < 2) break;
    if ((byte_at(rest, 1) & 0x80) != 0) {  // servers never mask their frames
      fail(connection);
      break;
    }
    std::uint64_t length = byte_at(rest, 1) & 0x7f;
    std::size_t header = 2;
    if (length >= 126) {
      header = length == 126 ? 4 : 10;
      if (rest.size() < header) break;
      length = 0;
      for (std::size_t i = 2; i < header; ++i) length = (length << 8) | byte_at(rest, i);
    }
    if (rest.size() - header < length) break;
    on_frame(connection, byte_at(rest, 0) & 0x0f, (byte_at(rest, 0) & 0x80) != 0,
             rest.substr(header, length));
    at += header + length;
  }
  return at;
}

void LoadWorker::on_frame(Connection& connection, int opcode, bool fin, std::string_view payload) {
  switch (opcode) {
    case kContinuation:
      connection.message.append(payload);
      if (fin) {
        on_message(connection.message);
        connection.message.clear();
      }
      return;
    case kText:
    case kBinary:
      if (fin) return on_message(payload);
      connection.message.assign(payload);
      return;
    case kClose:
      send_frame(connection, kClose, payload.substr(0, 2));  // echo the status code
      return fail(connection);
    case kPing:
      return send_frame(connection, kPong, payload);
    default:
      return;  // pong
  }
}

// Every update ends with "ts":"<ISO-8601>"}; a batch starts with its own ts, then holds updates.
// Read the times without parsing the JSON, so the client's own work does not count as delivery.
void LoadWorker::on_message(std::string_view text) {
  constexpr std::string_view kUpdate = "{\"type\":\"update\"";
  constexpr std::string_view kTs = "\"ts\":\"";
  constexpr std::size_t kTimeLength = 27;  // 2026-01-01T00:00:00.000000Z
  const auto received = core::now();
  ++stats_.messages;
  for (auto at = text.find(kUpdate); at != std::string_view::npos;
       at = text.find(kUpdate, at + 1)) {
    const auto ts = text.find(kTs, at);
    if (ts == std::string_view::npos) return;
    const auto sent = core::parse_iso8601(text.substr(ts + kTs.size(), kTimeLength));
    if (!sent.ok()) return;
    ++stats_.updates;
    const std::chrono::duration<double, std::milli> sent_ms = sent->time_since_epoch();
    const std::chrono::duration<double, std::milli> received_ms = received.time_since_epoch();
    stats_.latency_ms.push_back(received_ms.count() - sent_ms.count());
    stats_.samples.emplace_back(sent_ms.count(), received_ms.count());
  }
}

// Client frames are masked (RFC 6455 §5.3); ours are short (subscribe, pong, close).
void LoadWorker::send_frame(Connection& connection, int opcode, std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 8);
  frame += static_cast<char>(0x80 | opcode);
  if (payload.size() < 126) {
    frame += static_cast<char>(0x80 | payload.size());
  } else {
    frame += static_cast<char>(0x80 | 126);
    frame += static_cast<char>((payload.size() >> 8) & 0xff);
    frame += static_cast<char>(payload.size() & 0xff);
  }
  for (const auto key : kMaskKey) frame += static_cast<char>(key);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    frame += static_cast<char>(byte_at(payload, i) ^ kMaskKey[i % kMaskKey.size()]);
  }
  if (send(connection.fd, frame.data(), frame.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(frame.size())) {
    fail(connection);
  }
}

// The one place where a connection ends: one that had opened counts as closed, else as failed.
void LoadWorker::fail(Connection& connection) {
  if (connection.stage == Connection::Stage::kDone) return;
  ++(connection.stage == Connection::Stage::kOpen ? stats_.closed : stats_.failed);
  connection.stage = Connection::Stage::kDone;
  if (connection.fd >= 0) ::close(connection.fd);
  connection.fd = -1;
  connection.pending.clear();
}

}  // namespace tars::bench
