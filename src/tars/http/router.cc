#include "tars/http/router.h"

#include <cstdlib>
#include <iostream>

namespace tars::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  while (!path.empty()) {
    if (path.front() == '/') path.remove_prefix(1);
    const auto slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return segments;
}

bool is_parameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  for (const auto& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      std::cerr << "duplicate route " << method << " " << pattern << '\n';
      std::abort();
    }
  }
  auto segments = split_path(pattern);
  routes_.push_back(
      {std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

void Router::use(Middleware middleware) { middleware_.push_back(std::move(middleware)); }

void Router::set_fallback(Handler handler) { fallback_ = std::move(handler); }

Response Router::handle(Request& request) const {
  // Middleware wrap the dispatch, innermost last: middleware_[0](request, middleware_[1](...)).
  Handler chain = [this](Request& r) { return dispatch(r); };
  for (auto it = middleware_.rbegin(); it != middleware_.rend(); ++it) {
    chain = [&middleware = *it, next = std::move(chain)](Request& r) {
      return middleware(r, next);
    };
  }
  return chain(request);
}

Response Router::dispatch(Request& request) const {
  const auto segments = split_path(request.path);
  std::string allowed;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string, std::less<>> params;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      if (is_parameter(route.segments[i])) {
        params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
      } else {
        match = route.segments[i] == segments[i];
      }
    }
    if (!match) continue;
    if (route.method != request.method) {
      allowed += allowed.empty() ? route.method : ", " + route.method;
      continue;
    }
    request.route = route.pattern;
    request.path_params = std::move(params);
    return route.handler(request);
  }
  if (!allowed.empty()) {
    auto response = error_response(405, "method_not_allowed",
                                   request.method + " is not allowed on " + request.path);
    response.headers["Allow"] = allowed;
    return response;
  }
  if (fallback_) return fallback_(request);
  return error_response(404, "not_found", "no route for " + request.path);
}

}  // namespace tars::http
