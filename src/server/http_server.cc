#include "server/http_server.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace rempart::server {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// After an error answer the client may still be sending; closing with unread bytes would
// reset the connection and could destroy the answer before the client reads it, so we stop
// sending and drain what arrives for a short while first.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr size_t kLingerBytes = 256 * 1024;

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == beast::error_code(http::error::bad_target).category();
}

// A sent response's body may be a cleaned photo or decrypted evidence: wipe it, not just free it.
void WipeBody(http::response<http::string_body>& message) {
  std::string& body = message.body();
  if (!body.empty()) sodium_memzero(body.data(), body.size());
}
void WipeBody(http::response<http::file_body>&) {}

class Connection;

// What every connection shares with the server; outlives the last connection.
struct Core {
  HttpServerOptions options;
  RequestHandler handler;
  ErrorHandler on_error;
  net::thread_pool pool;
  std::mutex mutex;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections;
  bool stopping = false;
  size_t uploads = 0;  // upload bodies being read or handled

  Core(HttpServerOptions o, RequestHandler h, ErrorHandler e)
      : options(std::move(o)),
        handler(std::move(h)),
        on_error(std::move(e)),
        pool(static_cast<size_t>(std::max(1, options.handler_threads))) {}

  Response ErrorResponse(http::status status, const http::request_header<>& header) {
    try {
      return on_error(status, header);
    } catch (const std::exception&) {
      return TextResponse(status, std::string(http::obsolete_reason(status)));
    }
  }
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket&& socket, std::shared_ptr<Core> core)
      : stream_(std::move(socket)),
        buffer_(core->options.header_limit + core->options.body_limit),
        core_(std::move(core)) {}

  ~Connection() {
    std::lock_guard lock(core_->mutex);
    core_->connections.erase(this);
    if (holds_upload_) --core_->uploads;
  }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Connection::Read, shared_from_this()));
  }

  // Called on Stop(): idle connections close now, busy ones after their answer is sent.
  void Shutdown() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (!self->busy_) self->CloseNow();
    });
  }

 private:
  void Read() {
    busy_ = false;
    ReleaseUpload();
    if (stopping_) return CloseNow();
    const HttpServerOptions& options = core_->options;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options.header_limit));
    // Beast checks Content-Length against the limit as the header ends, before OnHeader can
    // pick this request's limit, so the header is read with the largest and OnHeader narrows.
    parser_->body_limit(std::max(options.body_limit, UploadLimit()));
    stream_.expires_after(options.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Connection::OnHeader, shared_from_this()));
  }

  size_t UploadLimit() const {
    return core_->options.is_upload ? core_->options.upload_body_limit : 0;
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return OnRead(ec, 0);
    const HttpServerOptions& options = core_->options;
    const auto& header = parser_->get();
    bool upload = UploadLimit() > 0 && options.is_upload(header);
    size_t limit = upload ? options.upload_body_limit : options.body_limit;
    auto length = parser_->content_length();
    if (length && *length > limit) return OnRead(http::error::body_limit, 0);
    parser_->body_limit(limit);  // chunked bodies are counted as they come
    if (upload && parser_->chunked()) {
      // An upload must say its length, so that its buffer is allocated once and wiped whole,
      // not regrown with copies left behind. Browsers always do.
      busy_ = true;
      method_ = "-";
      return SendError(http::status::length_required, header.base());
    }
    if (upload && length.value_or(0) > 0) {
      if (!TakeUpload()) {
        busy_ = true;
        method_ = "-";
        return SendError(http::status::service_unavailable, header.base());
      }
      stream_.expires_after(options.upload_read_timeout);
    }
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      // curl and others wait for this before sending a large body.
      auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      in_flight_ = go_on;
      return http::async_write(stream_, *go_on,
                               [self = shared_from_this()](beast::error_code ec, size_t) {
                                 self->in_flight_.reset();
                                 if (ec) return self->CloseNow();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Connection::OnRead, shared_from_this()));
  }

  bool TakeUpload() {
    std::lock_guard lock(core_->mutex);
    if (core_->uploads >= std::max<size_t>(1, core_->options.max_uploads)) return false;
    ++core_->uploads;
    holds_upload_ = true;
    return true;
  }

  void ReleaseUpload() {
    if (!holds_upload_) return;
    std::lock_guard lock(core_->mutex);
    --core_->uploads;
    holds_upload_ = false;
  }

  void OnRead(beast::error_code ec, size_t) {
    started_ = Clock::now();
    if (!ec) return Handle();
    busy_ = true;
    method_ = "-";
    // The parser may have stopped at any point; only its header is of use.
    http::request_header<> fields = parser_->get().base();
    if (ec == http::error::header_limit) {
      return SendError(http::status::request_header_fields_too_large, fields);
    }
    if (ec == http::error::body_limit || ec == http::error::buffer_overflow) {
      return SendError(http::status::payload_too_large, fields);
    }
    if (IsHttpParseError(ec) && ec != http::error::end_of_stream &&
        ec != http::error::partial_message) {
      return SendError(http::status::bad_request, fields);
    }
    // End of stream, timeout, reset, or Stop(): nobody is waiting for an answer.
    CloseNow();
  }

  // The read buffer last held the tail of the request's body (an upload, a passphrase):
  // zero all of it but the bytes of a next request already received.
  void WipeSpareBuffer() {
    auto spare = buffer_.prepare(buffer_.capacity() - buffer_.size());
    sodium_memzero(spare.data(), spare.size());
  }

  void SendError(http::status status, const http::request_header<>& header) {
    Response response = core_->ErrorResponse(status, header);
    response.close = true;
    Send(std::move(response), false);
  }

  void Handle() {
    busy_ = true;
    auto request = std::make_unique<Request>(parser_->release());
    WipeSpareBuffer();
    // A known verb's name, or "<unknown>": the raw method of a stranger is never logged.
    auto verb = http::to_string(request->method());
    method_ = std::string_view(verb.data(), verb.size());
    bool keep_alive = request->message().keep_alive();
    net::post(core_->pool, [self = shared_from_this(), request = std::move(request), keep_alive,
                            work = net::make_work_guard(stream_.get_executor())]() mutable {
      Response response;
      try {
        response = self->core_->handler(*request);
      } catch (const std::exception& e) {
        spdlog::error("request handler failed: {}", e.what());
        response = self->core_->ErrorResponse(http::status::internal_server_error,
                                              request->message().base());
        response.close = true;
      }
      request.reset();  // wipes the body now rather than whenever the lambda dies
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response), keep_alive]() mutable {
                  self->Send(std::move(response), keep_alive);
                });
    });
  }

  void Send(Response response, bool keep_alive) {
    ApplySecurityHeaders(response.headers);
    bool close = response.close || !keep_alive || stopping_;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_);
    spdlog::info("{} {} {} {}ms", method_, response.route, static_cast<unsigned>(response.status),
                 elapsed.count());
    if (response.file) {
      http::response<http::file_body> message{response.status, 11};
      Fill(message, response, close);
      message.body() = std::move(*response.file);
      message.prepare_payload();
      Write(std::move(message), close);
    } else {
      http::response<http::string_body> message{response.status, 11};
      Fill(message, response, close);
      message.body() = std::move(response.body);
      message.prepare_payload();
      Write(std::move(message), close);
    }
  }

  template <typename Message>
  static void Fill(Message& message, const Response& response, bool close) {
    // insert, not set: several Set-Cookie lines must all go out.
    for (const auto& field : response.headers) message.insert(field.name_string(), field.value());
    message.keep_alive(!close);
  }

  template <typename Message>
  void Write(Message&& message, bool close) {
    using Owned = std::decay_t<Message>;
    std::shared_ptr<Owned> owned(new Owned(std::move(message)), [](Owned* sent) {
      WipeBody(*sent);
      delete sent;
    });
    in_flight_ = owned;
    stream_.expires_after(core_->options.write_timeout);
    http::async_write(stream_, *owned,
                      beast::bind_front_handler(&Connection::OnWrite, shared_from_this(), close));
  }

  void OnWrite(bool close, beast::error_code ec, size_t) {
    in_flight_.reset();
    ReleaseUpload();  // the upload and its answer are gone from memory now
    if (ec) return CloseNow();
    if (close || stopping_) return Linger();
    Read();
  }

  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return CloseNow();
    stream_.expires_after(kLingerTime);
    Drain();
  }

  void Drain() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerBytes) return self->CloseNow();
                              self->Drain();
                            });
  }

  void CloseNow() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> in_flight_;  // the response being written
  std::array<char, 4096> drain_{};
  size_t drained_ = 0;
  bool busy_ = false;  // between a request's arrival and the end of its answer
  bool stopping_ = false;
  bool holds_upload_ = false;      // counted in core_->uploads
  std::string_view method_ = "-";  // static strings only
  Clock::time_point started_ = Clock::now();
  std::shared_ptr<Core> core_;
};

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<Core> core;
  net::io_context ioc;
  tcp::acceptor acceptor{net::make_strand(ioc)};
  std::vector<std::thread> threads;
  uint16_t port = 0;

  std::mutex mutex;  // guards the three below
  std::condition_variable changed;
  bool stop_requested = false;
  int running_threads = 0;
  bool joined = false;

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      OnAccept(ec, std::move(socket));
    });
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (ec) {
      spdlog::warn("accept failed: {}", ec.message());
    } else {
      auto connection = std::make_shared<Connection>(std::move(socket), core);
      bool accepted = false;
      {
        std::lock_guard lock(core->mutex);
        if (!core->stopping && core->connections.size() < core->options.max_connections) {
          core->connections.emplace(connection.get(), connection);
          accepted = true;
        }
      }
      if (accepted) connection->Start();  // else it closes as it goes out of scope
    }
    Accept();
  }
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler, ErrorHandler on_error)
    : impl_(std::make_unique<Impl>()) {
  impl_->core = std::make_shared<Core>(std::move(options), std::move(handler), std::move(on_error));
}

HttpServer::~HttpServer() {
  Stop();
  Wait();
}

Status HttpServer::Start() {
  const HttpServerOptions& options = impl_->core->options;
  beast::error_code ec;
  auto address = net::ip::make_address(options.bind_address, ec);
  if (ec) {
    return Error(Code::kUsage, "'{}' is not an IP address to listen on", options.bind_address);
  }
  tcp::endpoint endpoint(address, options.port);
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error(Code::kIo, "cannot listen on {} port {}: {}", options.bind_address, options.port,
                 ec.message());
  }
  impl_->port = acceptor.local_endpoint().port();
  impl_->Accept();
  int count = std::max(1, options.io_threads);
  {
    std::lock_guard lock(impl_->mutex);
    impl_->running_threads = count;
  }
  for (int i = 0; i < count; ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] {
      impl->ioc.run();
      std::lock_guard lock(impl->mutex);
      --impl->running_threads;
      impl->changed.notify_all();
    });
  }
  return Status::Ok();
}

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stop_requested) return;
    impl_->stop_requested = true;
    impl_->changed.notify_all();
  }
  net::dispatch(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    beast::error_code ec;
    impl->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(impl_->core->mutex);
    impl_->core->stopping = true;
    for (auto& [key, weak] : impl_->core->connections) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) connection->Shutdown();
}

void HttpServer::Wait() {
  std::unique_lock lock(impl_->mutex);
  if (impl_->joined) return;
  impl_->changed.wait(lock, [&] { return impl_->stop_requested; });
  bool finished = impl_->changed.wait_for(lock, impl_->core->options.stop_grace,
                                          [&] { return impl_->running_threads == 0; });
  lock.unlock();
  if (!finished) impl_->ioc.stop();  // cut what is left
  for (auto& thread : impl_->threads) thread.join();
  impl_->core->pool.join();  // handlers still running post into a stopped context: harmless
  lock.lock();
  impl_->joined = true;
}

}  // namespace rempart::server
