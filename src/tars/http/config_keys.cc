#include "tars/http/config_keys.h"

#include <fmt/format.h>

#include <charconv>

namespace tars::http {

std::vector<core::ConfigKey> http_config_keys() {
  return {
      core::string_key("listen", "127.0.0.1:8080", "Address and port of the HTTP server"),
      core::int_key("http_threads", 0, "Server threads; 0 means one per CPU core", 0, 256),
      core::int_key("http_max_body_bytes", 1 << 20, "Largest request body; larger get 413", 1024,
                    1 << 30),
      core::int_key("http_max_header_bytes", 16 << 10, "Largest request header; larger get 431",
                    1024, 1 << 20),
      core::int_key("http_idle_timeout", 60, "Seconds an idle keep-alive connection stays open", 1,
                    3600),
      core::int_key("http_read_timeout", 15, "Seconds a request may take to arrive", 1, 3600),
      core::int_key("http_max_connections", 20000, "Open connections at most; more get 503", 1,
                    1000000),
      core::string_key("web_root", "web/dist", "Directory of the built dashboard"),
      core::string_key("cors_origins", "",
                       "Comma-separated origins allowed to call the API from a browser; "
                       "empty: none"),
      core::int_key("websocket_ping_interval", 30, "Seconds between the server's pings", 1, 3600),
      core::int_key("websocket_ping_timeout", 10,
                    "Seconds a client has to answer a ping before it is dropped", 1, 3600),
      core::int_key("websocket_send_queue", 256,
                    "Messages queued per connection; a slow client loses its oldest updates", 1,
                    100000),
      core::int_key("websocket_max_reconnect_delay", 30,
                    "Longest reconnect delay clients should use, in seconds (sent in welcome)", 1,
                    3600),
  };
}

core::Expected<ServerOptions> server_options(const core::Config& config) {
  ServerOptions options;
  const std::string& listen = config.get_string("listen");
  const auto colon = listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    const auto [end, error] =
        std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port);
    if (error != std::errc() || end != listen.data() + listen.size()) port = -1;
  }
  if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
    return core::invalid_argument(
        fmt::format("listen: expected host:port such as 127.0.0.1:8080, got '{}'", listen));
  }
  options.host = listen.substr(0, colon);
  options.port = port;
  options.threads = static_cast<int>(config.get_int("http_threads"));
  options.max_body_bytes = static_cast<std::size_t>(config.get_int("http_max_body_bytes"));
  options.max_header_bytes = static_cast<std::size_t>(config.get_int("http_max_header_bytes"));
  options.idle_timeout = std::chrono::seconds(config.get_int("http_idle_timeout"));
  options.read_timeout = std::chrono::seconds(config.get_int("http_read_timeout"));
  options.max_connections = static_cast<int>(config.get_int("http_max_connections"));
  options.ws_ping_interval = std::chrono::seconds(config.get_int("websocket_ping_interval"));
  options.ws_ping_timeout = std::chrono::seconds(config.get_int("websocket_ping_timeout"));
  options.ws_send_queue = static_cast<std::size_t>(config.get_int("websocket_send_queue"));
  options.ws_max_reconnect_delay =
      std::chrono::seconds(config.get_int("websocket_max_reconnect_delay"));
  return options;
}

std::string web_root(const core::Config& config) { return config.get_string("web_root"); }

std::vector<std::string> cors_origins(const core::Config& config) {
  std::vector<std::string> origins;
  std::string_view text = config.get_string("cors_origins");
  while (!text.empty()) {
    const auto comma = text.find(',');
    auto origin = text.substr(0, comma);
    while (!origin.empty() && origin.front() == ' ') origin.remove_prefix(1);
    while (!origin.empty() && origin.back() == ' ') origin.remove_suffix(1);
    if (!origin.empty()) origins.emplace_back(origin);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return origins;
}

}  // namespace tars::http
