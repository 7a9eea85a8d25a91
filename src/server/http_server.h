// HttpServer: accepts connections and turns bytes into Requests and Responses back into bytes.
//
// Asynchronous (Boost.Beast over an asio io_context run by a few threads). Each request must
// arrive whole within read_timeout, headers and body together, so a client that dribbles bytes
// is cut off; each response must leave within write_timeout. Headers over header_limit get 431,
// bodies over body_limit 413, anything unparsable 400, and the connection is then closed.
// Handlers run on a separate small pool, so a slow one (Argon2id on unlock, a bundle export)
// never stalls the sockets or their timeouts. The server knows nothing of routes or pages.
//
// Uploads are the exception to the small body limit: a request that is_upload() accepts, once
// its header has arrived, may send up to upload_body_limit bytes within upload_read_timeout.
// Each upload is held in memory, so at most max_uploads are read and handled at once; more get
// 503 at once rather than queueing gigabytes. An upload must declare its Content-Length (411
// otherwise), so its buffer is allocated once and wiped whole with the Request. Response bodies
// held in memory are wiped once sent, since they may be a cleaned photo or decrypted evidence.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "server/request.h"
#include "server/response.h"

namespace rempart::server {

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port (tests); see HttpServer::port()
  int io_threads = 2;
  int handler_threads = 2;
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds write_timeout{std::chrono::minutes(5)};
  size_t header_limit = 8 * 1024;
  size_t body_limit = 64 * 1024;
  // Uploads (see the top of this file); none unless is_upload is set.
  std::function<bool(const http::request_header<>&)> is_upload;
  size_t upload_body_limit = 0;
  std::chrono::milliseconds upload_read_timeout{std::chrono::minutes(2)};
  size_t max_uploads = 2;
  size_t max_connections = 128;  // more are closed at once
  // How long Wait() lets requests in flight finish after Stop() before cutting them.
  std::chrono::milliseconds stop_grace{std::chrono::seconds(5)};
};

// Answers a request. Runs on the handler pool, several at once: it must be thread-safe.
using RequestHandler = std::function<Response(Request&)>;
// Renders the answer to a request rejected before it could be handled (400, 413, 431, 500,
// 503), given whatever of its header was parsed (target, Accept-Language, the language cookie).
using ErrorHandler = std::function<Response(http::status, const http::request_header<>&)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler, ErrorHandler on_error);
  ~HttpServer();  // Stop() then Wait()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads; Code::kIo when the address cannot be used.
  Status Start();
  // The port actually bound (useful after asking for port 0).
  uint16_t port() const;
  // Stops accepting, closes idle connections and lets requests in flight finish. Returns at
  // once; safe to call from any thread, several times.
  void Stop();
  // Blocks until Stop() was called and every connection ended (or stop_grace ran out).
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rempart::server
