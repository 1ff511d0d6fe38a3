#include "postgres_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace tars::test {
namespace {

// The newest installed server's programs, e.g. /usr/lib/postgresql/15/bin.
std::filesystem::path find_bin_dir() {
  std::filesystem::path best;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    const auto bin = entry.path() / "bin";
    if (std::filesystem::exists(bin / "initdb") && bin > best) best = bin;
  }
  return best;
}

// A port the kernel considers free right now.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace

PostgresServer::PostgresServer() {
  bin_ = find_bin_dir();
  if (bin_.empty()) {
    error_ = "no PostgreSQL server under /usr/lib/postgresql (run scripts/setup.sh)";
    return;
  }
  if (::geteuid() == 0) {
    const std::string chown = "chown -R nobody:nogroup '" + dir_.path().string() + "'";
    if (std::system(chown.c_str()) != 0) error_ = "cannot hand the data directory to nobody";
  }
  const auto data = dir_.path() / "data";
  if (ok() && !run("initdb -D '" + data.string() + "' -U tars --auth=trust -E UTF8 --no-sync")) {
    error_ = "initdb failed (see " + (dir_.path() / "command.log").string() + ")";
  }
  port_ = free_port();
  if (ok() && !start()) error_ = "the server did not start";
}

PostgresServer::~PostgresServer() {
  if (port_ != 0) stop();
}

std::string PostgresServer::create_database(const std::string& name) {
  if (!run("createdb -h 127.0.0.1 -p " + std::to_string(port_) + " -U tars " + name)) return {};
  return "postgresql://tars@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

bool PostgresServer::stop() {
  return run("pg_ctl -D '" + (dir_.path() / "data").string() + "' -m fast -w stop");
}

bool PostgresServer::start() {
  const auto options = "-p " + std::to_string(port_) + " -k '" + dir_.path().string() +
                       "' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
  return run("pg_ctl -D '" + (dir_.path() / "data").string() + "' -l '" +
             (dir_.path() / "server.log").string() + "' -w -o \"" + options + "\" start");
}

bool PostgresServer::run(const std::string& command) const {
  const std::string as_owner = ::geteuid() == 0 ? "runuser -u nobody -- " : "";
  const std::string line = "cd / && " + as_owner + (bin_ / "").string() + command + " >>'" +
                           (dir_.path() / "command.log").string() + "' 2>&1";
  return std::system(line.c_str()) == 0;
}

}  // namespace tars::test
