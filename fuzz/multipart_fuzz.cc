// Fuzzes the multipart/form-data reader of the media page, and the names made from what it
// returns: bytes from anyone who can reach `rempart serve`. The input's first line is the
// request's Content-Type, the rest its body. Whatever is accepted must hold together: parts
// inside the body, names unique and not empty, and download names made of safe characters.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "server/download_name.h"
#include "server/multipart.h"

namespace {

void Check(std::string_view body, const rempart::server::MultipartForm& form) {
  std::set<std::string> names;
  for (const auto& part : form.parts) {
    if (part.name.empty() || !names.insert(part.name).second) std::abort();
    if (part.data.data() < body.data() ||
        part.data.data() + part.data.size() > body.data() + body.size()) {
      std::abort();  // a view outside the body
    }
    if (!part.filename) continue;
    std::string name = rempart::server::DownloadName(*part.filename, "clean", "jpg", "photo");
    if (name.empty() || name.size() > 80 || name.front() == '.' || name.front() == '-') {
      std::abort();
    }
    for (char c : name) {
      bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_';
      if (!safe) std::abort();  // would break out of Content-Disposition, or name a path
    }
    std::string shown = rempart::server::DisplayName(*part.filename);
    for (unsigned char c : shown) {
      if (c < 0x20 || c == 0x7F) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view content_type = input.substr(0, newline);
  std::string_view body = newline == std::string_view::npos ? "" : input.substr(newline + 1);
  auto boundary = rempart::server::MultipartBoundary(content_type);
  if (boundary.ok()) {
    rempart::server::MultipartLimits limits;
    limits.max_parts = 8;
    auto form = rempart::server::ParseMultipart(body, *boundary, limits);
    if (form.ok()) Check(body, *form);
  }
  // The same bytes under a boundary the fuzzer can find without guessing the first line.
  auto fixed = rempart::server::ParseMultipart(input, "b");
  if (fixed.ok()) Check(input, *fixed);
  return 0;
}
