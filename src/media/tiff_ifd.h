// TiffReader: the TIFF structure under EXIF blocks and TIFF files — a header, then a chain of
// image file directories (IFDs) of 12-byte entries whose values sit inline (4 bytes or fewer)
// or at an offset. Internal to src/media: metadata_blocks.cc walks it for findings and
// tiff_file.cc rebuilds it when scrubbing.
//
// It reads through a ByteSource, so a TIFF file is walked without being loaded, and treats
// every offset and count as hostile: an entry whose value lies outside the data is marked
// unusable instead of being read, and callers bound how many IFDs and entries they visit.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "media/byte_source.h"

namespace rempart::tiff {

// Field types (TIFF 6.0 §2, plus IFD from the TIFF Technical Note 1).
inline constexpr uint16_t kByte = 1, kAscii = 2, kShort = 3, kLong = 4, kRational = 5, kSByte = 6,
                          kUndefined = 7, kSShort = 8, kSLong = 9, kSRational = 10, kFloat = 11,
                          kDouble = 12, kIfdType = 13;

// Bytes per value of `type`, 0 for types this reader does not know (their values are skipped).
int TypeSize(uint16_t type);

struct Entry {
  uint16_t tag = 0;
  uint16_t type = 0;
  uint32_t count = 0;
  uint64_t entry_offset = 0;  // of the 12-byte entry, relative to the TIFF header
  uint64_t value_offset = 0;  // of the value bytes (entry_offset + 8 when inline)
  uint64_t value_size = 0;    // count * TypeSize(type)
  bool usable = false;        // known type and the value lies inside the data

  bool inline_value() const { return value_size <= 4; }
};

struct Ifd {
  uint64_t offset = 0;  // relative to the TIFF header
  std::vector<Entry> entries;
  uint32_t next = 0;  // offset of the next IFD in the chain, 0 at the end

  const Entry* Find(uint16_t tag) const;
  // Bytes taken by the directory itself: count, entries, next offset.
  uint64_t table_size() const { return 2 + 12 * entries.size() + 4; }
};

struct Rational {
  uint32_t numerator = 0;
  uint32_t denominator = 0;
};

// Refuse directories with more entries than this: real ones have a few hundred at most.
inline constexpr uint32_t kMaxEntriesPerIfd = 2048;

class TiffReader {
 public:
  // Reads the 8-byte header at `base` in `source`; every TIFF offset is relative to `base`.
  // BigTIFF (version 43) is refused with its own message so that callers can say so.
  static Result<TiffReader> Open(const ByteSource& source, uint64_t base = 0);
  // A reader for an IFD with no header of its own (maker notes): the byte order and the base
  // that offsets are relative to come from the caller. first_ifd() is 0.
  static TiffReader Headerless(const ByteSource& source, uint64_t base, bool big_endian);

  const ByteSource& source() const { return *source_; }
  uint64_t base() const { return base_; }

  bool big_endian() const { return big_endian_; }
  uint32_t first_ifd() const { return first_ifd_; }
  // Bytes available after the header start.
  uint64_t size() const { return size_; }

  Result<Ifd> ReadIfd(uint64_t offset) const;

  // The raw value bytes of an entry (at most `limit`; kInvalidInput beyond).
  Result<std::vector<uint8_t>> ReadRaw(const Entry& entry, uint64_t limit = 1 << 20) const;
  // Integer value number `index` of a BYTE/SHORT/LONG/IFD (or signed) entry.
  Result<uint64_t> ReadUint(const Entry& entry, uint32_t index = 0) const;
  // Up to `max_count` integer values.
  Result<std::vector<uint64_t>> ReadUints(const Entry& entry, uint32_t max_count) const;
  Result<Rational> ReadRational(const Entry& entry, uint32_t index) const;

  uint16_t U16(const uint8_t* p) const;
  uint32_t U32(const uint8_t* p) const;

 private:
  TiffReader(const ByteSource& source, uint64_t base, uint64_t size, bool big_endian,
             uint32_t first_ifd)
      : source_(&source),
        base_(base),
        size_(size),
        big_endian_(big_endian),
        first_ifd_(first_ifd) {}

  const ByteSource* source_;
  uint64_t base_;
  uint64_t size_;
  bool big_endian_;
  uint32_t first_ifd_;
};

}  // namespace rempart::tiff
