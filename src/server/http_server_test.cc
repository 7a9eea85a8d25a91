#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "server/http_client_for_test.h"

namespace rempart::server {
namespace {

using testing::Fetch;
using testing::RawConnection;
using namespace std::chrono_literals;

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpServerOptions options = {}) {
    options.port = 0;
    server_ = std::make_unique<HttpServer>(
        options,
        [this](Request& request) {
          ++handled_;
          if (request.path() == "/slow") std::this_thread::sleep_for(300ms);
          Response response = TextResponse(http::status::ok, "hello " + request.path());
          if (auto name = request.FormField("name")) response.body += " " + std::string(*name);
          response.route = "/test";
          return response;
        },
        [](http::status status, const http::fields&) { return TextResponse(status, "rejected"); });
    ASSERT_TRUE(server_->Start().ok());
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }

  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::atomic<int> handled_{0};
};

void ExpectSecurityHeaders(const testing::RawResponse& r) {
  EXPECT_NE(r.Header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("referrer-policy"), "no-referrer");
  EXPECT_EQ(r.Header("x-frame-options"), "DENY");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
}

TEST_F(HttpServerTest, AnswersAndAddsSecurityHeaders) {
  StartServer();
  auto r = Fetch(port_, "GET /hi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello /hi");
  ExpectSecurityHeaders(*r);
}

TEST_F(HttpServerTest, ReadsAFormBody) {
  StartServer();
  auto r = Fetch(port_,
                 "POST /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\n"
                 "name=a%20b");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello /f a b");
}

TEST_F(HttpServerTest, KeepsTheConnectionAlive) {
  StartServer();
  RawConnection c(port_);
  ASSERT_TRUE(
      c.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n"
             "Connection: close\r\n\r\n"));
  std::string raw = c.ReadUntilClosed();
  EXPECT_NE(raw.find("hello /a"), std::string::npos);
  EXPECT_NE(raw.find("hello /b"), std::string::npos);
  EXPECT_EQ(handled_, 2);
}

TEST_F(HttpServerTest, MalformedRequestLineGets400) {
  StartServer();
  for (const char* bad :
       {"GARBAGE\r\n\r\n", "GET / HTTP/9.x\r\n\r\n", "GET  HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Header\r\n\r\n", "\x01\x02\x03 / HTTP/1.1\r\n\r\n"}) {
    auto r = Fetch(port_, bad);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad;
    ExpectSecurityHeaders(*r);
  }
  EXPECT_EQ(handled_, 0);
}

TEST_F(HttpServerTest, OversizedBodyGets413) {
  StartServer();
  RawConnection c(port_);
  std::string body(100 * 1024, 'a');
  c.Send("POST /f HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n");
  c.Send(body);  // may fail half-way once the server has answered: that's fine
  auto r = testing::ParseResponse(c.ReadUntilClosed());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(handled_, 0);
}

TEST_F(HttpServerTest, OversizedChunkedBodyGets413) {
  StartServer();
  std::string chunk(70 * 1024, 'a');
  char size[32];
  std::snprintf(size, sizeof size, "%zx", chunk.size());
  auto r = Fetch(port_, "POST /f HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                            std::string(size) + "\r\n" + chunk + "\r\n0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

HttpServerOptions WithUploads(size_t limit, size_t max_uploads = 2) {
  HttpServerOptions options;
  options.is_upload = [](const http::request_header<>& header) { return header.target() == "/up"; };
  options.upload_body_limit = limit;
  options.max_uploads = max_uploads;
  return options;
}

std::string PostOf(const std::string& target, const std::string& body) {
  return "POST " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST_F(HttpServerTest, UploadsHaveTheirOwnLimit) {
  StartServer(WithUploads(1 << 20));
  auto up = Fetch(port_, PostOf("/up", std::string(900 * 1024, 'a')));
  ASSERT_TRUE(up);
  EXPECT_EQ(up->status, 200);
  auto other = Fetch(port_, PostOf("/f", std::string(100 * 1024, 'a')));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 413) << "the small limit still holds elsewhere";
  // Over the upload limit: refused from the header alone, before any of the body is read.
  RawConnection c(port_);
  ASSERT_TRUE(c.Send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"));
  auto r = testing::ParseResponse(c.ReadUntilClosed());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(handled_, 1);
}

TEST_F(HttpServerTest, ChunkedUploadGets411) {
  StartServer(WithUploads(100 * 1024));
  auto r = Fetch(port_,
                 "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "3\r\nabc\r\n0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 411);
  EXPECT_EQ(handled_, 0);
}

TEST_F(HttpServerTest, TooManyUploadsAtOnceGet503) {
  StartServer(WithUploads(1 << 20, 1));
  RawConnection first(port_);
  ASSERT_TRUE(
      first.Send("POST /up HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 "Content-Length: 20\r\n\r\n0123456789"));
  std::this_thread::sleep_for(200ms);  // the server has its header and holds its place
  auto busy = Fetch(port_, PostOf("/up", "abc"));
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  auto small = Fetch(port_, PostOf("/f", "abc"));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200) << "other requests go on";
  ASSERT_TRUE(first.Send("0123456789"));
  auto done = testing::ParseResponse(first.ReadUntilClosed());
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200);
  auto next = Fetch(port_, PostOf("/up", "abc"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200) << "the place was given back";
}

TEST_F(HttpServerTest, AnswersExpectContinue) {
  StartServer(WithUploads(1 << 20));
  RawConnection c(port_);
  ASSERT_TRUE(
      c.Send("POST /up HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
             "Expect: 100-continue\r\nContent-Length: 3\r\n\r\n"));
  std::string interim = c.ReadUntilClosed(500ms);
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << interim;
  ASSERT_TRUE(c.Send("abc"));
  std::string rest = c.ReadUntilClosed();
  EXPECT_NE(rest.find("hello /up"), std::string::npos) << rest;
  // Over the limit, the answer is 413 instead, and no body is sent at all.
  RawConnection big(port_);
  ASSERT_TRUE(
      big.Send("POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
               "Content-Length: 5000000\r\n\r\n"));
  auto r = testing::ParseResponse(big.ReadUntilClosed());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(HttpServerTest, OversizedHeadersGet431) {
  StartServer();
  std::string cookie(10 * 1024, 'c');
  auto r = Fetch(port_, "GET / HTTP/1.1\r\nHost: x\r\nCookie: a=" + cookie + "\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(handled_, 0);
}

TEST_F(HttpServerTest, SlowClientIsCutOff) {
  HttpServerOptions options;
  options.read_timeout = 400ms;
  StartServer(options);
  RawConnection c(port_);
  ASSERT_TRUE(c.connected());
  std::string request =
      "GET / HTTP/1.1\r\nHost: x\r\nX-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  auto start = std::chrono::steady_clock::now();
  bool cut = false;
  for (char byte : request) {
    if (!c.Send(std::string_view(&byte, 1))) {
      cut = true;
      break;
    }
    std::this_thread::sleep_for(50ms);
    if (std::chrono::steady_clock::now() - start > 1500ms) break;
  }
  // Whether the last send failed or not, the server has closed its end by now.
  std::string rest = c.ReadUntilClosed(2s);
  EXPECT_TRUE(cut || c.closed());
  EXPECT_EQ(rest.find("200 OK"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  EXPECT_EQ(handled_, 0);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterTheTimeout) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  StartServer(options);
  RawConnection c(port_);
  ASSERT_TRUE(c.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string raw = c.ReadUntilClosed(3s);
  EXPECT_NE(raw.find("hello /a"), std::string::npos);
  EXPECT_TRUE(c.closed());
}

TEST_F(HttpServerTest, StopFinishesARequestInFlight) {
  StartServer();
  std::optional<testing::RawResponse> r;
  std::thread client(
      [&] { r = Fetch(port_, "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); });
  while (handled_ == 0) std::this_thread::sleep_for(5ms);
  server_->Stop();
  server_->Wait();
  client.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  // And nothing is accepted any more.
  RawConnection late(port_);
  EXPECT_FALSE(late.connected() && late.Send("GET / HTTP/1.1\r\n\r\n") &&
               !late.ReadUntilClosed(1s).empty());
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsAtOnce) {
  StartServer();
  RawConnection idle(port_);
  ASSERT_TRUE(idle.connected());
  std::this_thread::sleep_for(50ms);
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  server_->Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(HttpServerTest, RefusesAnAddressInUse) {
  StartServer();
  HttpServerOptions options;
  options.port = port_;
  HttpServer second(
      options, [](Request&) { return Response{}; },
      [](http::status s, const http::fields&) { return TextResponse(s, ""); });
  Status status = second.Start();
  EXPECT_EQ(status.code(), Code::kIo);
}

}  // namespace
}  // namespace rempart::server
