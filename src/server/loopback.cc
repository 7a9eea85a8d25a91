#include "server/loopback.h"

#include <boost/asio/ip/address.hpp>

namespace rempart::server {

bool IsLoopbackAddress(const std::string& address) {
  boost::system::error_code ec;
  auto parsed = boost::asio::ip::make_address(address, ec);
  if (ec) return false;
  if (parsed.is_v6() && parsed.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, parsed.to_v6())
        .is_loopback();
  }
  return parsed.is_loopback();
}

bool IsLoopbackHost(std::string_view host) {
  if (host.empty()) return true;
  std::string name;
  if (host.front() == '[') {  // "[::1]:8080"
    size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    name = std::string(host.substr(1, close - 1));
    host.remove_prefix(close + 1);
    if (!host.empty() && host.front() != ':') return false;
  } else {
    size_t colon = host.find(':');
    name = std::string(host.substr(0, colon));
  }
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name.ends_with(".")) name.pop_back();  // "localhost." is the same name
  return name == "localhost" || IsLoopbackAddress(name);
}

}  // namespace rempart::server
