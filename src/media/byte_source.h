// ByteSource: random-access, read-only bytes that a container parser walks without loading
// them whole, so that a 2 GB video is inspected and scrubbed in a few MiB of memory.
// MemorySource wraps a buffer (tests, fuzzers, uploads); FileSource reads an open file with
// pread. Reads past the end are errors, never short reads, so parsers need no size checks of
// their own beyond the offsets they compute.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace rempart {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Fills `out` with the bytes at [offset, offset + out.size()); kInvalidInput if that range
  // is not inside the source ("the file is truncated"), kIo if the system refuses the read.
  virtual Status ReadAt(uint64_t offset, std::span<uint8_t> out) const = 0;

  // Convenience: reads `length` bytes into a new buffer (refuses lengths above `limit`, so a
  // hostile length field cannot ask for gigabytes).
  Result<std::vector<uint8_t>> Read(uint64_t offset, uint64_t length,
                                    uint64_t limit = 64 * 1024 * 1024) const;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  Status ReadAt(uint64_t offset, std::span<uint8_t> out) const override;
  std::span<const uint8_t> bytes() const { return bytes_; }

 private:
  std::span<const uint8_t> bytes_;
};

class FileSource final : public ByteSource {
 public:
  static Result<FileSource> Open(const std::string& path);
  FileSource(FileSource&& other) noexcept;
  FileSource& operator=(FileSource&&) = delete;
  ~FileSource() override;
  uint64_t size() const override { return size_; }
  Status ReadAt(uint64_t offset, std::span<uint8_t> out) const override;

 private:
  FileSource(int fd, uint64_t size, std::string path) : fd_(fd), size_(size), path_(path) {}
  int fd_ = -1;
  uint64_t size_ = 0;
  std::string path_;
};

}  // namespace rempart
