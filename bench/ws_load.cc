// WebSocket load: opens N /ws/live connections to a running `tars serve`, subscribes each to
// evaluation.updates, keeps them open through the server's heartbeats, makes the server
// broadcast (by submitting evaluations, whose progress every subscriber receives), and reports
// how many connections held, delivery latency p50/p99 (server timestamp to receipt), the server's
// resident memory per connection and the CPU time server and client spend per update. The
// connections ask for batches (?batch=true), as the dashboard does. Targets: 10 000 held, p99 <=
// 250 ms, <= 32 KiB each. The client is a minimal epoll one (ws_load_worker.h): it shares the
// server's cores, so whatever it spends per message shows up as delivery latency.
//
//   ws_load --port P --token T --server-pid PID [--connections N] [--evaluations E] [--hold S]
//           [--threads K] [--samples FILE]
//
// --samples writes "sent_ms received_ms" (milliseconds since the epoch) for every update
// received, to see how each broadcast's deliveries spread out.
// clang-format off
#include <utility>  // first: Boost.Asio 1.74's awaitable.hpp uses std::exchange without it
// clang-format on

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_client.h"
#include "ws_load_worker.h"

namespace {

struct Settings {
  int port = 0;
  std::string token;
  int server_pid = 0;
  int connections = 10000;
  int evaluations = 5;
  int hold_seconds = 35;  // longer than the default 30 s ping interval
  int threads = 1;        // keeps up with the server and leaves it the other core
  std::string samples_path;
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

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace

// A positive whole number for `flag`, or nullopt after saying what is wrong with `value`.
std::optional<int> positive_number(const std::string& flag, const std::string& value) {
  std::size_t used = 0;
  try {
    const int number = std::stoi(value, &used);
    if (used == value.size() && number > 0) return number;
  } catch (const std::exception&) {
  }
  std::cerr << "ws_load: " << flag << " needs a positive whole number, got '" << value << "'\n";
  return std::nullopt;
}

int main(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 == argc) {
      std::cerr << "ws_load: " << flag << " needs a value\n";
      return 2;
    }
    const std::string value = argv[i + 1];
    int* number = flag == "--port"          ? &settings.port
                  : flag == "--server-pid"  ? &settings.server_pid
                  : flag == "--connections" ? &settings.connections
                  : flag == "--evaluations" ? &settings.evaluations
                  : flag == "--hold"        ? &settings.hold_seconds
                  : flag == "--threads"     ? &settings.threads
                                            : nullptr;
    if (number != nullptr) {
      const auto parsed = positive_number(flag, value);
      if (!parsed) return 2;
      *number = *parsed;
    } else if (flag == "--token") {
      settings.token = value;
    } else if (flag == "--samples") {
      settings.samples_path = value;
    } else {
      std::cerr << "ws_load: unknown flag " << flag << '\n';
      return 2;
    }
  }
  if (settings.port == 0 || settings.token.empty() || settings.server_pid == 0) {
    std::cerr << "usage: ws_load --port P --token T --server-pid PID [--connections N]\n";
    return 2;
  }
  const long rss_before = resident_kib(settings.server_pid);
  const tars::bench::LoadTarget target{settings.port,
                                       "/ws/live?batch=true&access_token=" + settings.token,
                                       R"({"type":"subscribe","channel":"evaluation.updates"})"};
  std::vector<std::unique_ptr<tars::bench::LoadWorker>> workers;
  std::vector<std::thread> threads;
  for (int i = 0; i < settings.threads; ++i) {
    workers.push_back(std::make_unique<tars::bench::LoadWorker>(target));
    threads.emplace_back([worker = workers.back().get()] { worker->run(); });
  }
  // In batches, so the listen backlog never overflows.
  constexpr int kBatch = 500;
  for (int started = 0; started < settings.connections; started += kBatch) {
    const int batch = std::min(kBatch, settings.connections - started);
    for (int w = 0; w < settings.threads; ++w) {
      workers[w]->open(batch / settings.threads + (w < batch % settings.threads ? 1 : 0));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const long rss_connected = resident_kib(settings.server_pid);

  tars::test::HttpClient client(settings.port, {{"Authorization", "Bearer " + settings.token}});
  const auto start = std::chrono::steady_clock::now();
  const double server_cpu_start = cpu_seconds(settings.server_pid);
  const double client_cpu_start = cpu_seconds(getpid());
  // One evaluation a second; each is broadcast as it is queued, started, progresses, completes.
  for (int i = 0; i < settings.evaluations; ++i) {
    client.request("POST", "/api/v1/evaluations",
                   R"({"policy": "heuristic", "environment": "CartPole-v1", "episodes": 10})");
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::this_thread::sleep_until(start + std::chrono::seconds(settings.hold_seconds));
  const double server_cpu = cpu_seconds(settings.server_pid) - server_cpu_start;
  const double client_cpu = cpu_seconds(getpid()) - client_cpu_start;
  for (auto& worker : workers) worker->stop();
  for (auto& thread : threads) thread.join();

  tars::bench::LoadStats stats;
  for (const auto& worker : workers) {
    const auto& own = worker->stats();
    stats.open += own.open;
    stats.failed += own.failed;
    stats.closed += own.closed;
    stats.updates += own.updates;
    stats.messages += own.messages;
    stats.latency_ms.insert(stats.latency_ms.end(), own.latency_ms.begin(), own.latency_ms.end());
    stats.samples.insert(stats.samples.end(), own.samples.begin(), own.samples.end());
  }
  if (!settings.samples_path.empty()) {
    std::ofstream samples(settings.samples_path);
    samples.precision(3);
    for (const auto& [sent, received] : stats.samples) {
      samples << std::fixed << sent << ' ' << received << '\n';
    }
  }
  const int held = stats.open - stats.closed;
  const double updates = static_cast<double>(std::max<std::int64_t>(stats.updates, 1));
  nlohmann::json report{
      {"connections_requested", settings.connections},
      {"connections_opened", stats.open},
      {"connections_failed", stats.failed},
      {"connections_held_after_s", settings.hold_seconds},
      {"connections_held", held},
      {"client_threads", settings.threads},
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
