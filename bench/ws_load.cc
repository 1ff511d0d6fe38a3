// WebSocket load: opens N /ws/live connections to a running `tars serve`, subscribes each to
// evaluation.updates, keeps them open through the server's heartbeats, makes the server
// broadcast (by submitting evaluations, whose progress every subscriber receives), and reports
// how many connections held, delivery latency p50/p99 (server timestamp to receipt), the server's
// resident memory per connection and the CPU time server and client spend per update. The
// connections ask for batches (?batch=true), as the dashboard does. Targets: 10 000 held, p99 <=
// 250 ms, <= 32 KiB each.
//
//   ws_load --port P --token T --server-pid PID [--connections N] [--evaluations E] [--hold S]
// clang-format off
#include <utility>  // first: Boost.Asio 1.74's awaitable.hpp uses std::exchange without it
// clang-format on

#include <unistd.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http_client.h"
#include "tars/core/time.h"

namespace {

namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Settings {
  int port = 0;
  std::string token;
  int server_pid = 0;
  int connections = 10000;
  int evaluations = 5;
  int hold_seconds = 35;  // longer than the default 30 s ping interval
};

struct Stats {
  int open = 0;
  int failed = 0;
  int closed = 0;
  std::int64_t updates = 0;
  std::int64_t messages = 0;  // WebSocket messages carrying them (batches hold several)
  std::vector<double> latency_ms;
};

// CPU seconds (user + system) the process has used, from /proc/PID/stat.
double cpu_seconds(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  double ticks = 0.0;
  for (int i = 3; fields >> field && i <= 15; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long resident_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, const Settings& settings, Stats& stats)
      : ws_(io), settings_(settings), stats_(stats) {}

  void start() {
    beast::get_lowest_layer(ws_).async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                      static_cast<unsigned short>(settings_.port)),
        [self = shared_from_this()](beast::error_code error) {
          if (error) return self->fail();
          self->ws_.async_handshake("127.0.0.1",
                                    "/ws/live?batch=true&access_token=" + self->settings_.token,
                                    [self](beast::error_code e) {
                                      if (e) return self->fail();
                                      ++self->stats_.open;
                                      self->subscribe();
                                    });
        });
  }

 private:
  void subscribe() {
    ws_.async_write(asio::buffer(kSubscribe),
                    [self = shared_from_this()](beast::error_code error, std::size_t) {
                      if (error) return self->fail();
                      self->read();
                    });
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (error) {
        ++self->stats_.closed;
        return;
      }
      self->on_message(beast::buffers_to_string(self->buffer_.data()));
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  // Every update ends with "ts":"<ISO-8601>"}; a batch starts with its own ts, then holds
  // updates. Read the times without parsing the JSON, so the client's own work does not count
  // as delivery latency.
  void on_message(const std::string& text) {
    constexpr std::string_view kUpdate = "{\"type\":\"update\"";
    constexpr std::string_view kTs = "\"ts\":\"";
    constexpr std::size_t kTimeLength = 27;  // 2026-01-01T00:00:00.000000Z
    const auto received = tars::core::now();
    ++stats_.messages;
    for (auto at = text.find(kUpdate); at != std::string::npos; at = text.find(kUpdate, at + 1)) {
      const auto ts = text.find(kTs, at);
      if (ts == std::string::npos) return;
      auto sent =
          tars::core::parse_iso8601(std::string_view(text).substr(ts + kTs.size(), kTimeLength));
      if (!sent.ok()) return;
      ++stats_.updates;
      stats_.latency_ms.push_back(
          std::chrono::duration<double, std::milli>(received - *sent).count());
    }
  }

  void fail() { ++stats_.failed; }

  static constexpr char kSubscribe[] = R"({"type":"subscribe","channel":"evaluation.updates"})";
  beast::websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  const Settings& settings_;
  Stats& stats_;
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--port")
      settings.port = std::stoi(value);
    else if (flag == "--token")
      settings.token = value;
    else if (flag == "--server-pid")
      settings.server_pid = std::stoi(value);
    else if (flag == "--connections")
      settings.connections = std::stoi(value);
    else if (flag == "--evaluations")
      settings.evaluations = std::stoi(value);
    else if (flag == "--hold")
      settings.hold_seconds = std::stoi(value);
    else {
      std::cerr << "unknown flag " << flag << '\n';
      return 2;
    }
  }
  if (settings.port == 0 || settings.token.empty() || settings.server_pid == 0) {
    std::cerr << "usage: ws_load --port P --token T --server-pid PID [--connections N]\n";
    return 2;
  }
  const long rss_before = resident_kib(settings.server_pid);
  // Two threads, each with its own connections and statistics: a single one would spend longer
  // receiving a broadcast to 10 000 connections than the server takes to send it.
  struct Worker {
    asio::io_context io;
    Stats stats;
    std::thread thread;
  };
  std::array<Worker, 2> workers;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  for (auto& worker : workers) {
    work.push_back(asio::make_work_guard(worker.io));
    worker.thread = std::thread([&worker] { worker.io.run(); });
  }
  // In batches, so the listen backlog never overflows.
  for (int started = 0; started < settings.connections; started += 500) {
    for (std::size_t w = 0; w < workers.size(); ++w) {
      asio::post(workers[w].io, [&, started, w] {
        for (int i = started + static_cast<int>(w);
             i < std::min(settings.connections, started + 500);
             i += static_cast<int>(workers.size())) {
          std::make_shared<Connection>(workers[w].io, settings, workers[w].stats)->start();
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const long rss_connected = resident_kib(settings.server_pid);

  tars::test::HttpClient client(settings.port, {{"Authorization", "Bearer " + settings.token}});
  const auto start = std::chrono::steady_clock::now();
  const double server_cpu_start = cpu_seconds(settings.server_pid);
  const double client_cpu_start = cpu_seconds(getpid());
  // One evaluation a second: 13 broadcasts each (queued, started, 10 progress, completed).
  for (int i = 0; i < settings.evaluations; ++i) {
    client.request("POST", "/api/v1/evaluations",
                   R"({"policy": "heuristic", "environment": "CartPole-v1", "episodes": 10})");
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::this_thread::sleep_until(start + std::chrono::seconds(settings.hold_seconds));
  const double server_cpu = cpu_seconds(settings.server_pid) - server_cpu_start;
  const double client_cpu = cpu_seconds(getpid()) - client_cpu_start;
  for (auto& worker : workers) worker.io.stop();
  for (auto& worker : workers) worker.thread.join();
  Stats stats;
  for (auto& worker : workers) {
    stats.open += worker.stats.open;
    stats.failed += worker.stats.failed;
    stats.closed += worker.stats.closed;
    stats.updates += worker.stats.updates;
    stats.messages += worker.stats.messages;
    stats.latency_ms.insert(stats.latency_ms.end(), worker.stats.latency_ms.begin(),
                            worker.stats.latency_ms.end());
  }
  const int held = stats.open - stats.closed;
  const double updates = static_cast<double>(std::max<std::int64_t>(stats.updates, 1));
  nlohmann::json report{
      {"connections_requested", settings.connections},
      {"connections_opened", stats.open},
      {"connections_failed", stats.failed},
      {"connections_held_after_s", settings.hold_seconds},
      {"connections_held", held},
      {"updates_received", stats.updates},
      {"messages_received", stats.messages},
      {"delivery_p50_ms", percentile(stats.latency_ms, 0.5)},
      {"delivery_p99_ms", percentile(stats.latency_ms, 0.99)},
      {"delivery_max_ms", percentile(stats.latency_ms, 1.0)},
      {"server_cpu_us_per_update", server_cpu * 1e6 / updates},
      {"client_cpu_us_per_update", client_cpu * 1e6 / updates},
      {"server_rss_kib_before", rss_before},
      {"server_rss_kib_connected", rss_connected},
      {"server_kib_per_connection",
       stats.open > 0 ? static_cast<double>(rss_connected - rss_before) / stats.open : 0.0},
      {"targets", "held 10000, p99 <= 250 ms, <= 32 KiB per connection"}};
  std::cout << report.dump() << std::endl;
  std::_Exit(0);  // thousands of open sockets: no orderly teardown needed
}
