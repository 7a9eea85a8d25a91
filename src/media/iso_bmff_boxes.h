// Boxes of the ISO base media file format (ISO/IEC 14496-12), the container of HEIF, AVIF,
// MP4 and QuickTime MOV. A box is a 32-bit size, a four-character type, an optional 64-bit
// size and, for type 'uuid', a 16-byte extended type. The walker reads headers only, with
// ReadAt, so a 2 GB 'mdat' is never loaded; every size is checked against the box's parent.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "media/byte_source.h"

namespace rempart::bmff {

// 'moov' as the big-endian integer the file stores.
constexpr uint32_t FourCC(const char (&s)[5]) {
  return uint32_t(uint8_t(s[0])) << 24 | uint32_t(uint8_t(s[1])) << 16 |
         uint32_t(uint8_t(s[2])) << 8 | uint8_t(s[3]);
}
// The QuickTime user-data types that start with the copyright sign (byte 0xA9): "©xyz".
constexpr uint32_t Copyright(const char (&s)[4]) {
  return 0xA9u << 24 | uint32_t(uint8_t(s[0])) << 16 | uint32_t(uint8_t(s[1])) << 8 | uint8_t(s[2]);
}
// A printable name for reports: "moov", "©xyz", or hex for anything else.
std::string TypeName(uint32_t type);
// True when all four bytes look like a type a writer chose (letters, digits, space, ©).
bool IsPlausibleType(uint32_t type);

struct Box {
  uint32_t type = 0;
  uint64_t offset = 0;       // of the size field, in the source
  uint64_t size = 0;         // header included; never 0 (size 0 is resolved to "to the end")
  uint32_t header_size = 8;  // 8, 16 with a 64-bit size, +16 for 'uuid'
  std::array<uint8_t, 16> uuid{};

  uint64_t end() const { return offset + size; }
  uint64_t payload_offset() const { return offset + header_size; }
  uint64_t payload_size() const { return size - header_size; }
};

// Reads the header of the box at `offset`, which must end by `limit` (its parent's end, or the
// file's). A size of 0 means "up to `limit`". kInvalidInput when the size is impossible.
Result<Box> ReadBox(const ByteSource& source, uint64_t offset, uint64_t limit);

// Bounds the work a hostile file can cause: every box visited costs one unit, and nesting
// deeper than kMaxDepth is refused.
class BoxBudget {
 public:
  static constexpr int kMaxDepth = 24;
  explicit BoxBudget(uint64_t boxes = 1'000'000) : remaining_(boxes) {}
  Status Take();

 private:
  uint64_t remaining_;
};

// Calls `visit` for each box in [begin, end) in order, stopping at the first error. Fewer than
// 8 bytes left over at the end are ignored (QuickTime ends some lists with a 32-bit zero).
// `depth` is the nesting level of the boxes visited (0 for the file's top level).
Status ForEachBox(const ByteSource& source, uint64_t begin, uint64_t end, int depth,
                  BoxBudget& budget, const std::function<Status(const Box&)>& visit);

// Big-endian reads from a buffer that never go past its end: a short read returns 0 and
// clears ok(), so a parser checks ok() once after a run of reads.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data, size_t pos = 0) : data_(data), pos_(pos) {
    if (pos_ > data_.size()) Fail();
  }
  uint8_t U8() { return static_cast<uint8_t>(Take(1)); }
  uint16_t U16() { return static_cast<uint16_t>(Take(2)); }
  uint32_t U24() { return static_cast<uint32_t>(Take(3)); }
  uint32_t U32() { return static_cast<uint32_t>(Take(4)); }
  uint64_t U64() { return Take(8); }
  // An unsigned integer of 0, 1, 2, 4 or 8 bytes (iloc's variable-size fields).
  uint64_t UN(unsigned bytes) { return Take(bytes); }
  // Bytes up to a NUL (consumed) or the end of the buffer.
  std::string_view CString();
  std::span<const uint8_t> Bytes(size_t n);
  void Skip(size_t n);
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool ok() const { return ok_; }

 private:
  uint64_t Take(unsigned n);
  void Fail() {
    ok_ = false;
    pos_ = data_.size();
  }
  std::span<const uint8_t> data_;
  size_t pos_;
  bool ok_ = true;
};

// Big-endian writers for the boxes the scrubber rebuilds.
void PutU8(std::string& out, uint8_t v);
void PutU16(std::string& out, uint16_t v);
void PutU32(std::string& out, uint32_t v);
void PutUN(std::string& out, uint64_t v, unsigned bytes);
// A box header for a payload of `payload_size` bytes (64-bit size when it needs one).
std::string BoxHeader(uint32_t type, uint64_t payload_size);

// "1234 bytes", for findings about blocks whose content is not shown.
std::string ByteCount(uint64_t n);

// Errors shared by the ISO BMFF parsers.
Status Damaged();            // a size or count that cannot be right
Status CannotCleanSafely();  // a layout we will not rewrite without risk to the picture

}  // namespace rempart::bmff
