#include "server/request.h"

#include <sodium.h>

#include "server/cookies.h"
#include "server/form.h"

namespace rempart::server {
namespace {

template <typename Map>
std::optional<std::string> Lookup(const Map& map, std::string_view name) {
  auto it = map.find(name);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

void Wipe(std::string& s) {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
}

bool IsFormBody(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media.size() != 33) return false;
  for (size_t i = 0; i < media.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(media[i])) !=
        "application/x-www-form-urlencoded"[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

Request::Request(HttpRequest message) : message_(std::move(message)) {
  std::string_view target(message_.target().data(), message_.target().size());
  valid_target_ = !target.empty() && target.front() == '/';
  for (char c : target) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) valid_target_ = false;
  }
  size_t question = target.find('?');
  path_ = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    for (auto& [k, v] : ParseUrlEncoded(target.substr(question + 1))) query_.emplace(k, v);
  }
  auto cookie = message_[http::field::cookie];
  for (auto& [k, v] : ParseCookieHeader({cookie.data(), cookie.size()})) cookies_.emplace(k, v);
  auto type = message_[http::field::content_type];
  if (IsFormBody({type.data(), type.size()})) {
    auto fields = ParseUrlEncoded(message_.body());
    for (auto& [k, v] : fields) {
      form_.emplace(k, v);
      Wipe(v);
    }
  }
}

Request::~Request() {
  Wipe(message_.body());
  for (auto& [k, v] : form_) Wipe(v);
}

std::optional<std::string> Request::Query(std::string_view name) const {
  return Lookup(query_, name);
}
std::optional<std::string> Request::Cookie(std::string_view name) const {
  return Lookup(cookies_, name);
}
std::optional<std::string_view> Request::FormField(std::string_view name) const {
  auto it = form_.find(name);
  if (it == form_.end()) return std::nullopt;
  return std::string_view(it->second);
}
std::string Request::Header(http::field field) const {
  auto value = message_[field];
  return std::string(value.data(), value.size());
}
std::string Request::Param(std::string_view name) const {
  return Lookup(params, name).value_or("");
}

}  // namespace rempart::server
