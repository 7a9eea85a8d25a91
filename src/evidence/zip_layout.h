// An independent reading of a zip's structure, done before libzip sees the archive.
//
// libzip inflates and checks CRCs, but it does not expose where entries lie in the file, and it
// sizes its tables from counts the archive declares. This parser reads the end-of-central-directory
// record (zip64 included), the central directory and every local header, and refuses what a bundle
// never contains: multi-disk archives, ambiguous end records, more entries than the limit, local
// headers that disagree with the central directory, and entries whose byte ranges overlap (the
// "better zip bomb", where thousands of entries share one compressed kernel). Internal to
// src/evidence; BundleReader is the public face.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace rempart {

// Random access to the bytes of an archive.
class ByteReader {
 public:
  virtual ~ByteReader() = default;
  virtual uint64_t size() const = 0;
  // Fills `out` entirely from `offset`, or fails (reading past the end is an error).
  virtual Status ReadAt(uint64_t offset, std::span<uint8_t> out) const = 0;
};

// Reads a file descriptor with pread; does not own it.
class FdByteReader final : public ByteReader {
 public:
  FdByteReader(int fd, uint64_t size) : fd_(fd), size_(size) {}
  uint64_t size() const override { return size_; }
  Status ReadAt(uint64_t offset, std::span<uint8_t> out) const override;

 private:
  int fd_;
  uint64_t size_;
};

// Reads bytes in memory; does not own them.
class MemoryByteReader final : public ByteReader {
 public:
  explicit MemoryByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  Status ReadAt(uint64_t offset, std::span<uint8_t> out) const override;

 private:
  std::span<const uint8_t> bytes_;
};

// One central directory record, with the zip64 extra field applied.
struct ZipLayoutEntry {
  std::string name;      // raw bytes, not yet validated
  uint16_t made_by = 0;  // high byte: host system (3 = Unix, whose attributes carry the file type)
  uint16_t flags = 0;    // general purpose bit flags
  uint16_t method = 0;   // compression method
  uint32_t crc = 0;
  uint32_t external_attributes = 0;
  uint64_t compressed_size = 0;
  uint64_t size = 0;  // declared uncompressed size
  uint64_t local_header_offset = 0;
  uint64_t data_end = 0;  // one past the last byte of compressed data

  // Header fields that carry no content, kept so that CheckCanonicalZip can hold them to the
  // values Rempart writes.
  struct Header {
    uint16_t version_needed = 0;
    uint16_t flags = 0;
    uint16_t dos_time = 0;
    uint16_t dos_date = 0;
    uint32_t crc = 0;
    uint32_t compressed_size = 0;  // as written: 0xFFFFFFFF when in the zip64 extra field
    uint32_t size = 0;
    std::vector<uint8_t> extra;
  };
  Header central;
  Header local;
  uint16_t internal_attributes = 0;
  uint16_t comment_length = 0;
  uint16_t disk = 0;
};

// Where the archive's directory records lie.
struct ZipLayout {
  std::vector<ZipLayoutEntry> entries;  // central directory order
  uint64_t directory_offset = 0;
  uint64_t directory_size = 0;
  uint64_t eocd_offset = 0;               // the classic end record
  std::optional<uint64_t> eocd64_offset;  // the zip64 end record, when there is one
  std::vector<uint8_t> eocd;              // the classic end record's 22 bytes
  std::vector<uint8_t> eocd64;            // the zip64 end record's 56 bytes and locator's 20
  uint64_t file_size = 0;
};

struct ZipLayoutLimits {
  uint64_t max_entries = 100'000;
  uint64_t max_central_directory_bytes = 64ull << 20;
};

// Entries in central directory order (libzip's index order). Errors are kInvalidInput (or kIo when
// the ByteReader fails) and say what is wrong with the archive as a whole.
Result<ZipLayout> ReadZipLayout(const ByteReader& in, const ZipLayoutLimits& limits);

// The kInvalidInput Status for an archive that is damaged or not a zip at all.
Status BadZip(std::string_view problem);

}  // namespace rempart
