// ContentTypeDetector: the MIME type of content judged from its bytes (libmagic), never from a
// file name that anyone can change. Holds libmagic's loaded database, so make one per batch
// and reuse it; not thread-safe.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "core/status.h"

namespace rempart {

class ContentTypeDetector {
 public:
  // How many leading bytes are enough to recognise any format we care about.
  static constexpr size_t kSniffBytes = 64 * 1024;

  static Result<ContentTypeDetector> Create();
  ContentTypeDetector(ContentTypeDetector&&) noexcept;
  ContentTypeDetector& operator=(ContentTypeDetector&&) noexcept;
  ~ContentTypeDetector();

  // "image/png", "application/pdf", "text/plain", … ("application/octet-stream" if unknown).
  std::string Detect(std::span<const uint8_t> head) const;

 private:
  struct Impl;
  explicit ContentTypeDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rempart
