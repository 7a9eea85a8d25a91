// What counts as "this computer": loopback addresses for binding, and Host headers for
// answering.
//
// The personal server checks the Host header because of DNS rebinding: a web page can point
// its own name at 127.0.0.1, and the browser then treats the vault as part of that page's
// site. Such requests carry the page's name in Host, so answering only to loopback names
// keeps them out.
#pragma once

#include <string>
#include <string_view>

namespace rempart::server {

// True for 127.0.0.0/8 and ::1 (and their IPv4-mapped forms); false for anything unparsable.
bool IsLoopbackAddress(const std::string& address);

// True for a Host header naming this computer: "localhost", a loopback address ("127.0.0.1",
// "[::1]"), with or without a port; also true when there is no Host at all (HTTP/1.0).
bool IsLoopbackHost(std::string_view host);

}  // namespace rempart::server
