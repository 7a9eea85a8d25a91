// Router: maps a method and a path to a handler, knowing nothing of sockets.
//
// Patterns are literal segments and {name} placeholders: "/cases/{id}/bundle". A placeholder
// matches one whole non-empty segment, percent-decoded, and never a '/' once decoded, so
// "/static/..%2Fsecret" cannot climb out of a folder. Matching is exact: no trailing slash,
// no empty segments. A path that matches with another method gives 405 and the Allow list.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/request.h"
#include "server/response.h"

namespace rempart::server {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void Add(http::verb method, std::string_view pattern, Handler handler);

  enum class Outcome { kMatched, kNotFound, kMethodNotAllowed };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Handler* handler = nullptr;  // kMatched only; owned by the router
    std::string pattern;               // the template, for logs ("/cases/{id}")
    std::vector<std::pair<std::string, std::string>> params;  // decoded placeholder values
    std::string allow;                                        // kMethodNotAllowed: "GET, POST"
  };
  // `path` is the percent-encoded path of the target, without the query.
  Match Route(http::verb method, std::string_view path) const;

 private:
  struct Segment {
    bool placeholder = false;
    std::string text;  // literal text, or the placeholder's name
  };
  struct RouteEntry {
    http::verb method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  std::vector<RouteEntry> routes_;
};

}  // namespace rempart::server
