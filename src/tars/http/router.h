// Routes by method and path pattern ("/api/v1/evaluations/{id}"), with middleware around every
// handler: the controller-per-resource layout of the API.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tars/http/message.h"

namespace tars::http {

using Handler = std::function<Response(Request&)>;
// Runs around a handler: may answer itself, or call `next` and adjust its response.
using Middleware = std::function<Response(Request&, const Handler& next)>;

class Router {
 public:
  // `pattern` segments are literals or "{name}" parameters; registering the same method and
  // pattern twice is a programming error and aborts.
  void add(std::string method, std::string pattern, Handler handler);
  // Middleware run in the order added, outermost first, for every request (matched or not).
  void use(Middleware middleware);
  // Requests no route matches (e.g. the dashboard's static files); default: 404.
  void set_fallback(Handler handler);

  // Matches the request (filling path_params and route), runs the middleware and the handler.
  // An unknown path gives the fallback, a known path with another method 405 with Allow.
  Response handle(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };

  Response dispatch(Request& request) const;

  std::vector<Route> routes_;
  std::vector<Middleware> middleware_;
  Handler fallback_;
};

}  // namespace tars::http
