// Fuzz target: raw bytes as an HTTP request, through the server's own parsing (Beast's parser
// with the server's limits, then make_request) and every route of a real Platform on an
// in-memory database, with an admin's token added to half of the inputs so that authenticated
// handlers and their JSON bodies are reached too.
//
// Built by `make fuzz` with clang's libFuzzer; the same function runs without libFuzzer in
// `fuzz_regressions` (CTest), over fuzz/regressions/ and fuzz/corpus/.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "tars/app/platform.h"
#include "tars/core/log.h"
#include "tars/http/server_impl.h"
#include "tars/store/sqlite/sqlite_database.h"

namespace {

struct Target {
  std::unique_ptr<tars::app::Platform> platform;
  std::string token;
};

Target& target() {
  static Target instance = [] {
    tars::core::configure_logging(tars::core::LogLevel::kError, tars::core::LogFormat::kText);
    auto database = tars::store::open_sqlite({.path = ":memory:"}).value();
    (void)database->migrate();
    tars::app::PlatformOptions options;
    options.admin_password = "fuzz-admin-password";
    options.auth.password_limits = tars::auth::minimum_password_limits();
    Target t{std::make_unique<tars::app::Platform>(options, std::move(database)), {}};
    (void)t.platform->auth().bootstrap_admin(options.admin_password);
    t.token =
        t.platform->auth().login("admin", options.admin_password, "fuzz").value().access_token;
    return t;
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace beast = boost::beast;
  Target& fuzz = target();
  beast::http::request_parser<beast::http::string_body> parser;
  parser.header_limit(16 << 10);
  parser.body_limit(1 << 20);
  parser.eager(true);
  beast::error_code error;
  parser.put(boost::asio::buffer(data, size), error);
  if (error || !parser.is_done()) return 0;
  tars::http::BeastRequest message = parser.release();
  if (size % 2 == 0) message.set(beast::http::field::authorization, "Bearer " + fuzz.token);
  auto request = tars::http::make_request(message, "127.0.0.1");
  if (!request.ok()) return 0;
  (void)fuzz.platform->router().handle(*request);
  return 0;
}
