// Configuration keys of the HTTP / WebSocket server.
#pragma once

#include <vector>

#include "tars/core/config.h"
#include "tars/http/server.h"

namespace tars::http {

// listen, http_threads, http_max_body_bytes, http_max_header_bytes, http_idle_timeout,
// http_read_timeout, http_max_connections, web_root, cors_origins, websocket_ping_interval,
// websocket_ping_timeout, websocket_send_queue, websocket_max_reconnect_delay.
std::vector<core::ConfigKey> http_config_keys();

// The server options of a config resolved from a schema holding http_config_keys(); fails on a
// `listen` that is not host:port.
core::Expected<ServerOptions> server_options(const core::Config& config);

// The dashboard directory (web_root) and the CORS origins (cors_origins, comma-separated).
std::string web_root(const core::Config& config);
std::vector<std::string> cors_origins(const core::Config& config);

}  // namespace tars::http
