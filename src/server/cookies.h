// Cookies: reading the Cookie header and writing Set-Cookie lines.
//
// Rempart's cookies hold only random tokens and a language code, so values are restricted to
// cookie-octets (RFC 6265 §4.1.1) and never need quoting; anything else is dropped on read.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rempart::server {

// Name -> value from a Cookie header ("a=1; b=2"); the first of a repeated name wins.
std::map<std::string, std::string> ParseCookieHeader(std::string_view header);

struct CookieOptions {
  bool http_only = true;
  bool secure = false;  // only over HTTPS (--behind-tls)
  std::string_view same_site = "Strict";
  std::optional<std::chrono::seconds> max_age;  // none: a session cookie
};

// A Set-Cookie value with Path=/ and the options above.
std::string FormatSetCookie(std::string_view name, std::string_view value,
                            const CookieOptions& options);
// A Set-Cookie value that makes the browser forget the cookie at once.
std::string FormatClearCookie(std::string_view name, const CookieOptions& options);

}  // namespace rempart::server
