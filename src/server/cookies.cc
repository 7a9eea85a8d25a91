#include "server/cookies.h"

#include <fmt/format.h>

namespace rempart::server {
namespace {

bool IsCookieOctet(char c) {
  auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) ||
         (u >= 0x3C && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::map<std::string, std::string> ParseCookieHeader(std::string_view header) {
  std::map<std::string, std::string> cookies;
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view item = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view name = Trim(item.substr(0, eq));
    std::string_view value = Trim(item.substr(eq + 1));
    bool valid = !name.empty();
    for (char c : value) valid = valid && IsCookieOctet(c);
    if (valid) cookies.emplace(name, value);
  }
  return cookies;
}

std::string FormatSetCookie(std::string_view name, std::string_view value,
                            const CookieOptions& options) {
  std::string line = fmt::format("{}={}; Path=/; SameSite={}", name, value, options.same_site);
  if (options.max_age) line += fmt::format("; Max-Age={}", options.max_age->count());
  if (options.http_only) line += "; HttpOnly";
  if (options.secure) line += "; Secure";
  return line;
}

std::string FormatClearCookie(std::string_view name, const CookieOptions& options) {
  CookieOptions expired = options;
  expired.max_age = std::chrono::seconds(0);
  return FormatSetCookie(name, "", expired);
}

}  // namespace rempart::server
