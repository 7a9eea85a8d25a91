// Decoding of what browsers send in URLs and forms: percent-encoding and
// application/x-www-form-urlencoded pairs ("a=1&b=x+y").
//
// Decoding never fails on odd input: a stray '%' is kept as is, the way browsers do, so a
// handler only ever sees a value it must still validate. Values may contain any byte, NUL
// included; handlers that need numbers use ParseId().
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rempart::server {

// "%2F" -> "/"; with `plus_is_space`, "+" -> " " (forms and query strings, not paths).
std::string PercentDecode(std::string_view text, bool plus_is_space);
// Encodes everything but unreserved characters (RFC 3986 §2.3).
std::string PercentEncode(std::string_view text);

// Pairs of a query string or urlencoded body; when a name repeats, the first value wins.
std::map<std::string, std::string> ParseUrlEncoded(std::string_view text);

// A positive decimal id as used in /cases/{id}, without sign, spaces or leading zeros.
std::optional<int64_t> ParseId(std::string_view text);

}  // namespace rempart::server
