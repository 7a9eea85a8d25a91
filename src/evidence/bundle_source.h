// The two kinds of bundle behind BundleReader: a zip archive and a directory. Internal to
// src/evidence.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "evidence/bundle_reader.h"

namespace rempart {

class BundleReader::Source {
 public:
  virtual ~Source() = default;
  virtual bool is_zip() const = 0;
  // Streams the file at `index` in the sorted entry list the source was opened with.
  virtual Status Stream(size_t index, const ChunkSink& sink) = 0;
};

struct OpenedSource {
  std::unique_ptr<BundleReader::Source> source;
  std::vector<BundleEntry> entries;  // sorted by name
  Status form;  // a zip's headers against the canonical form Rempart writes (zip_canonical.h)
};

// Each takes ownership of `fd`.
Result<OpenedSource> OpenZipFdSource(int fd, uint64_t size, const BundleLimits& limits);
Result<OpenedSource> OpenZipMemorySource(std::vector<uint8_t> zip, const BundleLimits& limits);
Result<OpenedSource> OpenDirectorySource(int fd, const BundleLimits& limits);

// Adds up declared file sizes and refuses one file or a total beyond the limits.
class SizeBudget {
 public:
  explicit SizeBudget(const BundleLimits& limits) : limits_(limits) {}
  Status Add(std::string_view name, uint64_t size);

 private:
  const BundleLimits& limits_;
  uint64_t total_ = 0;
};

// The kInvalidInput Status for a bundle with more entries than `limit`.
Status TooManyEntries(uint64_t limit);

// Size of the chunks handed to a ChunkSink.
inline constexpr size_t kStreamChunkBytes = 64 * 1024;

}  // namespace rempart
