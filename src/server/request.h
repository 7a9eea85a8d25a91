// Request: one parsed HTTP request as handlers see it, with the socket layer left behind.
//
// The target is split once into a path (still percent-encoded; the router decodes segments)
// and query parameters; cookies and urlencoded form fields are parsed on construction.
// Handlers never see the peer's address: Rempart logs and stores none (DESIGN.md §2).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rempart::server {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;

class Request {
 public:
  explicit Request(HttpRequest message);
  ~Request();  // wipes the body and form values: they may hold a passphrase
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  const HttpRequest& message() const { return message_; }
  http::verb method() const { return message_.method(); }
  // False for targets that are not a plain "/path?query" (absolute-form, "*", control bytes).
  bool valid_target() const { return valid_target_; }
  // The path part of the target, still percent-encoded ("/cases/3").
  const std::string& path() const { return path_; }
  std::optional<std::string> Query(std::string_view name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
  // A field of an application/x-www-form-urlencoded body (none for any other body). The view
  // lives as long as the request, so a passphrase need not be copied into unwiped memory.
  std::optional<std::string_view> FormField(std::string_view name) const;
  std::string Header(http::field field) const;

  // Path parameters set by the router ("id" for /cases/{id}).
  std::map<std::string, std::string, std::less<>> params;
  std::string Param(std::string_view name) const;

 private:
  HttpRequest message_;
  bool valid_target_ = false;
  std::string path_;
  std::map<std::string, std::string, std::less<>> query_, cookies_, form_;
};

}  // namespace rempart::server
