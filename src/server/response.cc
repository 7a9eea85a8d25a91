#include "server/response.h"

namespace rempart::server {

Response HtmlResponse(http::status status, std::string html) {
  Response response;
  response.status = status;
  response.headers.set(http::field::content_type, "text/html; charset=utf-8");
  response.body = std::move(html);
  return response;
}

Response TextResponse(http::status status, std::string_view text) {
  Response response;
  response.status = status;
  response.headers.set(http::field::content_type, "text/plain; charset=utf-8");
  response.body = std::string(text);
  return response;
}

Response RedirectResponse(std::string_view location) {
  Response response;
  response.status = http::status::see_other;
  response.headers.set(http::field::location, std::string(location));
  return response;
}

void ApplySecurityHeaders(http::fields& headers) {
  // A handler may tighten the policy (entry content gets a sandbox); never loosen it.
  if (headers.find("Content-Security-Policy") == headers.end()) {
    headers.set("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                "object-src 'none'; base-uri 'none'; form-action 'self'; "
                "frame-ancestors 'none'");
  }
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "no-referrer");
  headers.set("X-Frame-Options", "DENY");
  headers.set(http::field::cache_control, "no-store");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  headers.set(http::field::server, "rempart");
}

}  // namespace rempart::server
