#include "media/content_type.h"

#include <magic.h>

namespace rempart {

struct ContentTypeDetector::Impl {
  magic_t cookie = nullptr;
  ~Impl() {
    if (cookie) magic_close(cookie);
  }
};

ContentTypeDetector::ContentTypeDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ContentTypeDetector::ContentTypeDetector(ContentTypeDetector&&) noexcept = default;
ContentTypeDetector& ContentTypeDetector::operator=(ContentTypeDetector&&) noexcept = default;
ContentTypeDetector::~ContentTypeDetector() = default;

Result<ContentTypeDetector> ContentTypeDetector::Create() {
  auto impl = std::make_unique<Impl>();
  // MAGIC_NO_CHECK_COMPRESS: never decompress hostile input just to name it.
  impl->cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
  if (!impl->cookie || magic_load(impl->cookie, nullptr) != 0) {
    return Error(Code::kFailed,
                 "cannot load the file-type database (libmagic); reinstall libmagic-mgc");
  }
  return ContentTypeDetector(std::move(impl));
}

std::string ContentTypeDetector::Detect(std::span<const uint8_t> head) const {
  if (head.empty()) return "application/x-empty";
  const char* type = magic_buffer(impl_->cookie, head.data(), head.size());
  return type ? type : "application/octet-stream";
}

}  // namespace rempart
