// Test helper: writes small TIFF structures (EXIF blocks, TIFF files) from a description, in
// either byte order, so tests can craft exactly the tags — and the damage — they need.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rempart::testing {

struct TestEntry {
  uint16_t tag = 0;
  uint16_t type = 0;
  uint32_t count = 0;
  std::string data;          // value bytes in the file's byte order (filled by the helpers below)
  int points_to_ifd = -1;    // LONG value = offset of that IFD
  bool blob_offset = false;  // LONG value = offset of `blob`, placed out of line
  std::string blob;
};

struct TestIfd {
  std::vector<TestEntry> entries;
  int next = -1;  // index of the next IFD in the chain
};

class TiffBuilder {
 public:
  explicit TiffBuilder(bool big_endian = false) : big_(big_endian) {}

  std::string U16(uint16_t v) const {
    return big_ ? std::string{char(v >> 8), char(v)} : std::string{char(v), char(v >> 8)};
  }
  std::string U32(uint32_t v) const {
    return big_ ? std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)}
                : std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
  }

  TestEntry Ascii(uint16_t tag, const std::string& text) const {
    std::string data = text + '\0';
    return {tag, 2, uint32_t(data.size()), data};
  }
  TestEntry Bytes(uint16_t tag, uint16_t type, const std::string& bytes) const {
    return {tag, type, uint32_t(bytes.size()), bytes};
  }
  TestEntry Short(uint16_t tag, uint16_t v) const { return {tag, 3, 1, U16(v)}; }
  TestEntry Shorts(uint16_t tag, const std::vector<uint16_t>& v) const {
    std::string data;
    for (uint16_t x : v) data += U16(x);
    return {tag, 3, uint32_t(v.size()), data};
  }
  TestEntry Long(uint16_t tag, uint32_t v) const { return {tag, 4, 1, U32(v)}; }
  TestEntry Longs(uint16_t tag, const std::vector<uint32_t>& v) const {
    std::string data;
    for (uint32_t x : v) data += U32(x);
    return {tag, 4, uint32_t(v.size()), data};
  }
  TestEntry Rationals(uint16_t tag, const std::vector<std::pair<uint32_t, uint32_t>>& v) const {
    std::string data;
    for (auto [n, d] : v) data += U32(n) + U32(d);
    return {tag, 5, uint32_t(v.size()), data};
  }
  TestEntry Pointer(uint16_t tag, int ifd) const { return {tag, 4, 1, U32(0), ifd}; }
  TestEntry BlobOffset(uint16_t tag, std::string blob) const {
    return {tag, 4, 1, U32(0), -1, true, std::move(blob)};
  }

  // Header, then each IFD followed by its out-of-line values and blobs. Returns the offsets
  // of the IFDs in `ifd_offsets` when given.
  std::string Build(const std::vector<TestIfd>& ifds,
                    std::vector<uint32_t>* ifd_offsets = nullptr) const {
    std::vector<uint32_t> offsets;
    uint32_t at = 8;
    for (const TestIfd& ifd : ifds) {
      offsets.push_back(at);
      at += 2 + 12 * uint32_t(ifd.entries.size()) + 4;
      for (const TestEntry& e : ifd.entries) {
        if (e.data.size() > 4) at += uint32_t(e.data.size() + (e.data.size() & 1));
        at += uint32_t(e.blob.size() + (e.blob.size() & 1));
      }
    }
    std::string out = big_ ? "MM" : "II";
    out += U16(42) + U32(ifds.empty() ? 0 : offsets[0]);
    for (size_t i = 0; i < ifds.size(); ++i) {
      const TestIfd& ifd = ifds[i];
      uint32_t data_at = offsets[i] + 2 + 12 * uint32_t(ifd.entries.size()) + 4;
      std::string table = U16(uint16_t(ifd.entries.size()));
      std::string data;
      for (const TestEntry& e : ifd.entries) {
        table += U16(e.tag) + U16(e.type) + U32(e.count);
        if (e.points_to_ifd >= 0) {
          table += U32(offsets[e.points_to_ifd]);
        } else if (e.blob_offset) {
          table += U32(data_at + uint32_t(data.size()));
          data += e.blob;
          if (data.size() & 1) data += '\0';
        } else if (e.data.size() <= 4) {
          table += e.data + std::string(4 - e.data.size(), '\0');
        } else {
          table += U32(data_at + uint32_t(data.size()));
          data += e.data;
          if (data.size() & 1) data += '\0';
        }
      }
      table += U32(ifd.next >= 0 ? offsets[ifd.next] : 0);
      out += table + data;
    }
    if (ifd_offsets) *ifd_offsets = offsets;
    return out;
  }

 private:
  bool big_;
};

}  // namespace rempart::testing
