#include "tars/http/server.h"

#include <fmt/format.h>

#include <condition_variable>
#include <csignal>

#include "tars/core/log.h"
#include "tars/http/server_impl.h"

namespace tars::http {
namespace {

namespace bhttp = beast::http;

// How long linger() keeps discarding what a refused client still sends.
constexpr std::chrono::seconds kLingerTimeout{2};

const core::Logger& logger() {
  static const core::Logger instance("http");
  return instance;
}

// One HTTP connection: read a request, answer it, repeat while keep-alive; explicit lifetime
// through shared_from_this, all work on the connection's strand, errors reported in fail().
class HttpSession : public Drainable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Server::Impl& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {
    ++server_.connections;
    beast::error_code error;
    // Responses and live updates are written whole: Nagle's algorithm would only hold the next
    // small one back until the previous one is acknowledged.
    stream_.socket().set_option(tcp::no_delay(true), error);
    const auto endpoint = stream_.socket().remote_endpoint(error);
    client_ip_ = error ? "unknown" : endpoint.address().to_string();
  }
  ~HttpSession() override {
    server_.untrack(this);
    --server_.connections;
  }

  void run(bool over_capacity) {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this(), over_capacity] {
      if (over_capacity) {
        self->send_error(503, "unavailable", "the server has too many connections", false);
      } else {
        self->read_request();
      }
    });
  }

  void drain() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  void read_request() {
    busy_ = false;
    if (server_.draining) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(server_.options.max_body_bytes);
    // Waiting for a request counts as idle; once its first bytes arrive the read timeout runs.
    stream_.expires_after(server_.options.idle_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code error, std::size_t) {
                               self->on_header(error);
                             });
  }

  void on_header(beast::error_code error) {
    if (error) return fail(error);
    busy_ = true;
    if (parser_->is_done()) return on_body({});  // no body: skip a read that has nothing to do
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_body(e); });
  }

  void on_body(beast::error_code error) {
    if (error) return fail(error);
    BeastRequest beast_request = parser_->release();
    const bool upgrade = beast::websocket::is_upgrade(beast_request);
    const bool keep_alive = beast_request.keep_alive() && !server_.draining && !upgrade;
    const unsigned version = beast_request.version();
    auto request = make_request(beast_request, client_ip_);
    if (!request.ok()) {
      return send(error_response(request.status(), "target"), version, keep_alive);
    }
    if (upgrade) return upgrade_to_websocket(std::move(beast_request), *request, version);
    Response response;
    try {
      response = server_.router.handle(*request);
    } catch (const std::exception& exception) {  // a handler bug must not take the server down
      logger().error("{} {}: {}", request->method, request->target, exception.what());
      response = error_response(500, "internal",
                                "internal error (request id " + request->request_id + ")");
    }
    send(std::move(response), version, keep_alive, request->method == "HEAD");
  }

  void upgrade_to_websocket(BeastRequest beast_request, Request& request, unsigned version) {
    if (request.path != "/ws/live") {
      return send(error_response(404, "not_found", "WebSockets are served on /ws/live only"),
                  version, false);
    }
    const auto batch = request.query.find("batch");
    if (batch != request.query.end() && batch->second != "true" && batch->second != "false") {
      return send(
          error_response(400, "invalid_argument",
                         fmt::format("batch: '{}' is not true or false", batch->second), "batch"),
          version, false);
    }
    if (server_.upgrade_check) {
      if (auto refused = server_.upgrade_check(request)) {
        return send(std::move(*refused), version, false);
      }
    }
    stream_.expires_never();
    start_websocket_session(server_, std::move(stream_), std::move(beast_request), client_ip_,
                            batch != request.query.end() && batch->second == "true");
  }

  void send(Response response, unsigned version, bool keep_alive, bool head = false) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version);
    for (const auto& [name, value] : response.headers) {
      if (!(head && name == "Content-Length")) message->set(name, value);
    }
    message->set(bhttp::field::server, "tars");
    message->keep_alive(keep_alive);
    message->body() = std::move(response.body);
    if (head && response.headers.contains("Content-Length")) {
      message->content_length(std::stoull(response.headers.at("Content-Length")));
    } else {
      message->prepare_payload();
    }
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message](beast::error_code error, std::size_t) {
                         if (error) return self->fail(error);
                         if (message->keep_alive()) return self->read_request();
                         // A refused request may still be sending its body.
                         return message->result_int() >= 400 ? self->linger() : self->close();
                       });
  }

  void send_error(int status, std::string_view code, std::string_view text, bool keep_alive) {
    send(error_response(status, code, text), 11, keep_alive);
  }

  // The one place where a connection's errors are reported.
  void fail(beast::error_code error) {
    if (error == bhttp::error::body_limit) {
      return send_error(
          413, "payload_too_large",
          fmt::format("the request body is larger than {} bytes", server_.options.max_body_bytes),
          false);
    }
    if (error == bhttp::error::header_limit) {
      return send_error(431, "headers_too_large",
                        fmt::format("the request headers are larger than {} bytes",
                                    server_.options.max_header_bytes),
                        false);
    }
    if (error == bhttp::error::end_of_stream || error == asio::error::operation_aborted ||
        error == beast::error::timeout || error == asio::error::connection_reset ||
        error == asio::error::eof) {
      return close();  // the client went away, was too slow, or the server is draining
    }
    if (error.category() == beast::error_code(bhttp::error::bad_target).category()) {
      return send_error(400, "bad_request", "malformed HTTP request: " + error.message(), false);
    }
    logger().debug("connection from {}: {}", client_ip_, error.message());
    close();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  // After refusing a request whose body is still arriving: stop sending, then read and discard
  // for a moment, so the client can finish writing and read the error instead of a reset.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    drain_buffer_.resize(64 * 1024);
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code error, std::size_t) {
                              if (error) return self->stream_.close();
                              self->linger();
                            });
  }

  Server::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string client_ip_;
  std::vector<char> drain_buffer_;  // linger() reads into it
  bool busy_ = false;               // between a request's first bytes and its response's last
};

}  // namespace

core::Expected<Request> make_request(BeastRequest& beast_request, const std::string& client_ip) {
  Request request;
  request.method = std::string(beast_request.method_string());
  request.target = std::string(beast_request.target());
  const auto question = request.target.find('?');
  auto path = percent_decode(request.target.substr(0, question), false);
  if (!path) return core::invalid_argument("malformed percent escape in the request path");
  request.path = std::move(*path);
  for (const auto& field : beast_request) {
    request.headers[std::string(field.name_string())] = std::string(field.value());
  }
  request.body = std::move(beast_request.body());
  request.client_ip = client_ip;
  auto query = parse_query(question == std::string::npos
                               ? std::string_view()
                               : std::string_view(request.target).substr(question + 1));
  if (!query.ok()) return query.status();
  request.query = std::move(*query);
  return request;
}

namespace {

std::vector<std::unique_ptr<asio::io_context>> make_contexts(int threads) {
  const int count =
      threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int i = 0; i < count; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
  return contexts;
}

}  // namespace

Server::Impl::Impl(ServerOptions options_in, const Router& router_in, LiveHub& hub_in)
    : options(std::move(options_in)),
      router(router_in),
      hub(hub_in),
      contexts(make_contexts(options.threads)),
      acceptor(*contexts.front()) {}

void Server::Impl::accept() {
  auto& context = *contexts[next_context++ % contexts.size()];
  acceptor.async_accept(
      asio::make_strand(context), [this](beast::error_code error, tcp::socket socket) {
        if (error) {
          if (error == asio::error::operation_aborted) return;  // stopping
          logger().warn("accept: {}", error.message());
        } else {
          const bool over_capacity = connections.load() >= options.max_connections;
          auto session = std::make_shared<HttpSession>(*this, std::move(socket));
          track(session);
          session->run(over_capacity);
        }
        if (!draining) accept();
      });
}

void Server::Impl::track(const std::shared_ptr<Drainable>& session) {
  std::lock_guard lock(sessions_mutex);
  sessions[session.get()] = session;
}

void Server::Impl::untrack(Drainable* session) {
  std::lock_guard lock(sessions_mutex);
  sessions.erase(session);
}

Server::Server(ServerOptions options, const Router& router, LiveHub& hub)
    : impl_(std::make_unique<Impl>(std::move(options), router, hub)) {}

Server::~Server() { stop(); }

core::Status Server::start() {
  beast::error_code error;
  const auto address = asio::ip::make_address(impl_->options.host, error);
  if (error) {
    return core::invalid_argument(
        fmt::format("listen: '{}' is not an IP address", impl_->options.host));
  }
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(impl_->options.port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return core::io_error(fmt::format("cannot listen on {}:{}: {}", impl_->options.host,
                                      impl_->options.port, error.message()));
  }
  impl_->accept();
  for (auto& context : impl_->contexts) {
    impl_->work.push_back(asio::make_work_guard(*context));
    impl_->threads.emplace_back([&context] { context->run(); });
  }
  return {};
}

void Server::set_upgrade_check(UpgradeCheck check) { impl_->upgrade_check = std::move(check); }

int Server::port() const { return impl_->acceptor.local_endpoint().port(); }

int Server::connections() const { return impl_->connections.load(); }

void Server::stop() {
  if (impl_->stopped || impl_->threads.empty()) return;
  impl_->stopped = true;
  impl_->draining = true;
  asio::post(impl_->acceptor.get_executor(), [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->hub.close_all();
  std::vector<std::shared_ptr<Drainable>> sessions;
  {
    std::lock_guard lock(impl_->sessions_mutex);
    for (auto& [raw, weak] : impl_->sessions) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
  }
  // Outside the lock: dropping the last reference runs a session's destructor, which untracks.
  for (const auto& session : sessions) session->drain();
  sessions.clear();
  const auto deadline = std::chrono::steady_clock::now() + impl_->options.shutdown_grace;
  while (impl_->connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& context : impl_->contexts) context->stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

void Server::run_until_signal() {
  asio::io_context signal_io;
  asio::signal_set signals(signal_io, SIGINT, SIGTERM);
  signals.async_wait([](beast::error_code, int signal) {
    logger().info("received {}, shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
  });
  signal_io.run();
  stop();
}

}  // namespace tars::http
