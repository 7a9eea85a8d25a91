// Response: what a handler returns, independent of the socket that will carry it.
//
// The body is either a string or an open file streamed from disk (bundles). The socket layer
// adds the security headers (ApplySecurityHeaders) to every response, error answers
// included, so no handler can forget them. `route` is the path template for the access log,
// which records method, template, status and duration only: never an address or a user agent.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/status.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace rempart::server {

namespace http = boost::beast::http;

struct Response {
  http::status status = http::status::ok;
  http::fields headers;
  std::string body;
  std::optional<http::file_body::value_type> file;  // when set, sent instead of `body`
  std::string route = "-";
  bool close = false;  // close the connection after sending
};

Response HtmlResponse(http::status status, std::string html);
Response TextResponse(http::status status, std::string_view text);
// 303 See Other: after a POST the browser fetches `location` with GET.
Response RedirectResponse(std::string_view location);

// Content-Security-Policy (no inline script or style, no framing), nosniff, no referrer,
// and Cache-Control: no-store, since pages show evidence that must not sit in a browser cache.
void ApplySecurityHeaders(http::fields& headers);

}  // namespace rempart::server
