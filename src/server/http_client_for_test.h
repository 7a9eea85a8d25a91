// Test-only: a blunt HTTP/1.1 client over a raw socket, so tests can send exactly the bytes
// they mean (malformed lines, dribbled headers) and see exactly what comes back.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rempart::server::testing {

struct RawResponse {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::vector<std::string> All(const std::string& name) const {
    std::vector<std::string> values;
    auto [begin, end] = headers.equal_range(name);
    for (auto it = begin; it != end; ++it) values.push_back(it->second);
    return values;
  }
};

class RawConnection {
 public:
  explicit RawConnection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }

  // False once the peer has closed or reset the connection.
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads until the peer closes, or `timeout` passes; returns what arrived.
  std::string ReadUntilClosed(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[16384];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

  // True when the peer closed the connection (seen by the last read).
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

// Parses one response (status line, headers, body as received; no chunked decoding).
inline std::optional<RawResponse> ParseResponse(std::string_view raw) {
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string_view::npos || raw.substr(0, 9).find("HTTP/1.") != 0) return std::nullopt;
  RawResponse response;
  response.status = std::atoi(std::string(raw.substr(9, 3)).c_str());
  std::string_view head = raw.substr(0, end);
  size_t line_end = head.find("\r\n");
  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    std::string_view line = head.substr(0, line_end);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.emplace(name, std::string(value));
  }
  response.body = std::string(raw.substr(end + 4));
  return response;
}

// Sends one request with Connection: close and returns the parsed answer.
inline std::optional<RawResponse> Fetch(uint16_t port, std::string_view request) {
  RawConnection connection(port);
  if (!connection.connected() || !connection.Send(request)) return std::nullopt;
  return ParseResponse(connection.ReadUntilClosed());
}

}  // namespace rempart::server::testing
