#include "server/router.h"

#include <cassert>
#include <optional>

#include "server/form.h"

namespace rempart::server {
namespace {

// "/a/b" -> {"a", "b"}; "/" -> {""}; "" or a path without a leading '/' -> nullopt.
std::optional<std::vector<std::string_view>> SplitPath(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<std::string_view> parts;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

}  // namespace

void Router::Add(http::verb method, std::string_view pattern, Handler handler) {
  auto parts = SplitPath(pattern);
  assert(parts && "route patterns start with '/'");
  RouteEntry route{method, std::string(pattern), {}, std::move(handler)};
  for (std::string_view part : *parts) {
    Segment segment;
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      segment.placeholder = true;
      part = part.substr(1, part.size() - 2);
    }
    segment.text = std::string(part);
    route.segments.push_back(std::move(segment));
  }
  routes_.push_back(std::move(route));
}

Router::Match Router::Route(http::verb method, std::string_view path) const {
  Match result;
  auto parts = SplitPath(path);
  if (!parts) return result;
  std::vector<std::string> decoded;
  decoded.reserve(parts->size());
  for (std::string_view part : *parts) decoded.push_back(PercentDecode(part, false));

  for (const RouteEntry& route : routes_) {
    if (route.segments.size() != decoded.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool matches = true;
    for (size_t i = 0; i < decoded.size() && matches; ++i) {
      const Segment& segment = route.segments[i];
      const std::string& value = decoded[i];
      if (segment.placeholder) {
        matches = !value.empty() && value.find('/') == std::string::npos &&
                  value.find('\0') == std::string::npos;
        params.emplace_back(segment.text, value);
      } else {
        matches = segment.text == value && (*parts)[i] == value;  // literals are never encoded
      }
    }
    if (!matches) continue;
    if (route.method != method) {
      result.outcome = Outcome::kMethodNotAllowed;
      std::string name(http::to_string(route.method));
      if (result.allow.find(name) == std::string::npos) {
        result.allow += result.allow.empty() ? name : ", " + name;
      }
      continue;
    }
    result.outcome = Outcome::kMatched;
    result.handler = &route.handler;
    result.pattern = route.pattern;
    result.params = std::move(params);
    result.allow.clear();
    return result;
  }
  return result;
}

}  // namespace rempart::server
