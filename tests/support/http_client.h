// Real-socket clients for tests of the server: HTTP/1.1 and WebSocket on Boost.Beast.
#pragma once

// clang-format off
#include <utility>  // first: Boost.Asio 1.74's awaitable.hpp uses std::exchange without it
// clang-format on

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace tars::test {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names as sent
  std::string body;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// One keep-alive connection to 127.0.0.1:port.
class HttpClient {
 public:
  // `default_headers` go with every request (e.g. Authorization).
  explicit HttpClient(int port, std::map<std::string, std::string> default_headers = {})
      : stream_(io_), default_headers_(std::move(default_headers)) {
    stream_.connect(
        {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  }

  HttpReply request(const std::string& method, const std::string& target,
                    const std::string& body = {},
                    const std::map<std::string, std::string>& headers = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> message{http::string_to_verb(method), target, 11};
    message.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : default_headers_) message.set(name, value);
    for (const auto& [name, value] : headers) message.set(name, value);
    message.body() = body;
    message.prepare_payload();
    http::write(stream_, message);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(method == "HEAD");
    http::read(stream_, buffer_, parser);
    const auto& response = parser.get();
    HttpReply reply{static_cast<int>(response.result_int()), {}, response.body()};
    for (const auto& field : response) {
      reply.headers[std::string(field.name_string())] = std::string(field.value());
    }
    return reply;
  }

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::map<std::string, std::string> default_headers_;
};

// A /ws/live client; reads with a deadline.
class WsClient {
 public:
  // Throws boost::system::system_error when the server refuses the upgrade.
  explicit WsClient(int port, const std::string& target = "/ws/live") : ws_(io_) {
    boost::beast::get_lowest_layer(ws_).connect(
        {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    ws_.handshake("127.0.0.1", target);
  }

  void send(const std::string& text) { ws_.write(boost::asio::buffer(text)); }

  // The next text message, or nullopt on timeout or a closed connection.
  std::optional<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::optional<std::string> result;
    buffer_.consume(buffer_.size());
    ws_.async_read(buffer_, [&](boost::beast::error_code error, std::size_t) {
      if (!error) result = boost::beast::buffers_to_string(buffer_.data());
      last_error_ = error;
    });
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {  // timed out: close the socket, which ends the read
      boost::beast::get_lowest_layer(ws_).close();
      io_.run();
    }
    return result;
  }

  const boost::beast::error_code& last_error() const { return last_error_; }
  boost::beast::websocket::close_reason close_reason() const { return ws_.reason(); }

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  boost::beast::error_code last_error_;
};

}  // namespace tars::test
