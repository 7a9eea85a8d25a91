// The two kinds of bundle behind BundleWriter. Each writes into its own temporary sibling and
// removes it when destroyed unfinished. Internal to src/evidence.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "core/status.h"
#include "evidence/bundle_writer.h"

namespace rempart {

class BundleWriter::Backend {
 public:
  virtual ~Backend() = default;
  virtual bool is_zip() const = 0;
  // `name` is already checked and unique.
  virtual Status AddFile(const std::string& name, const std::filesystem::path& source,
                         Compression compression) = 0;
  virtual Status AddStream(const std::string& name, uint64_t size, StreamSource source,
                           Compression compression) = 0;
  virtual Status AddBytes(const std::string& name, std::span<const uint8_t> bytes,
                          Compression compression) = 0;
  virtual Status Finish() = 0;
};

// The Status for a StreamSource that yields a different number of bytes than announced.
Status StreamSizeMismatch(const std::string& name, uint64_t size);

// `path` has been checked free (CheckTargetFree).
Result<std::unique_ptr<BundleWriter::Backend>> CreateZipBackend(const std::filesystem::path& path);
Result<std::unique_ptr<BundleWriter::Backend>> CreateDirectoryBackend(
    const std::filesystem::path& path);

}  // namespace rempart
