// Test-only helpers shared by the PNG, WebP and GIF container tests: the metadata blocks their
// fixtures embed (an EXIF block with GPS, an XMP packet), the shared test files, and queries on
// a PrivacyReport.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/privacy_report.h"

namespace rempart::testing {

inline std::string Le16(uint16_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
inline std::string Le32(uint32_t v) { return Le16(static_cast<uint16_t>(v)) + Le16(v >> 16); }
inline std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

struct TiffEntry {
  uint16_t tag;
  uint16_t type;  // 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL
  uint32_t count;
  std::string value;  // little-endian bytes
};

inline size_t IfdSize(const std::vector<TiffEntry>& entries) {
  size_t size = 2 + 12 * entries.size() + 4;
  for (const auto& e : entries)
    if (e.value.size() > 4) size += (e.value.size() + 1) & ~size_t{1};
  return size;
}

// Appends an IFD (no next IFD) followed by the values that do not fit in their entries.
inline void AppendIfd(std::string& tiff, const std::vector<TiffEntry>& entries) {
  size_t data_at = tiff.size() + 2 + 12 * entries.size() + 4;
  std::string data;
  tiff += Le16(static_cast<uint16_t>(entries.size()));
  for (const auto& e : entries) {
    tiff += Le16(e.tag) + Le16(e.type) + Le32(e.count);
    if (e.value.size() <= 4) {
      tiff += e.value + std::string(4 - e.value.size(), '\0');
    } else {
      tiff += Le32(static_cast<uint32_t>(data_at + data.size()));
      data += e.value;
      if (data.size() & 1) data += '\0';
    }
  }
  tiff += Le32(0) + data;
}

inline std::string Rationals(std::initializer_list<std::pair<uint32_t, uint32_t>> values) {
  std::string out;
  for (auto [num, den] : values) out += Le32(num) + Le32(den);
  return out;
}

// A little-endian EXIF block (no "Exif\0\0") with Make, Model, Artist, a date, the given
// orientation and GPS coordinates in Paris.
inline std::string ExifWithGps(uint16_t orientation = 1) {
  using namespace std::string_literals;
  std::vector<TiffEntry> ifd0 = {
      {0x010F, 2, 6, "Canon\0"s},        {0x0110, 2, 7, "EOS 5D\0"s},
      {0x0112, 3, 1, Le16(orientation)}, {0x0132, 2, 20, "2024:05:01 21:10:00\0"s},
      {0x013B, 2, 9, "Jane Doe\0"s},     {0x8825, 4, 1, ""},  // GPS IFD offset, set below
  };
  ifd0.back().value = Le32(static_cast<uint32_t>(8 + IfdSize(ifd0)));
  std::vector<TiffEntry> gps = {
      {0x0000, 1, 4, "\x02\x03\x00\x00"s},
      {0x0001, 2, 2, "N\0"s},
      {0x0002, 5, 3, Rationals({{48, 1}, {51, 1}, {2376, 100}})},
      {0x0003, 2, 2, "E\0"s},
      {0x0004, 5, 3, Rationals({{2, 1}, {21, 1}, {792, 100}})},
  };
  std::string tiff = "II*\0"s + Le32(8);
  AppendIfd(tiff, ifd0);
  AppendIfd(tiff, gps);
  return tiff;
}

inline std::string XmpPacket() {
  return "<?xpacket begin='\xEF\xBB\xBF' id='W5M0MpCehiHzreSzNTczkc9d'?>"
         "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
         "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
         "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'"
         " xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'>"
         "<dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>"
         "<photoshop:City>Paris</photoshop:City>"
         "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>";
}

inline std::string TestdataPath(std::string_view relative) {
  return std::string(REMPART_SOURCE_DIR "/../shared/testdata/") + std::string(relative);
}

inline std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Where the tests leave scrubbed copies of the shared test files, to check with exiftool.
inline void WriteScrubbed(const std::string& name, const std::string& bytes) {
  std::ofstream(std::string(REMPART_BINARY_DIR "/") + name, std::ios::binary) << bytes;
}

inline std::span<const uint8_t> Span(const std::string& bytes) {
  return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
}

// The first finding named `field` (found in `where`, when given).
inline const Finding* FindField(const PrivacyReport& report, std::string_view field,
                                std::string_view where = {}) {
  for (const auto& f : report.findings)
    if (f.field == field && (where.empty() || f.where == where)) return &f;
  return nullptr;
}

inline bool HasKind(const PrivacyReport& report, FindingKind kind) {
  for (const auto& f : report.findings)
    if (f.kind == kind) return true;
  return false;
}

inline std::string Describe(const PrivacyReport& report) {
  std::string out;
  for (const auto& f : report.findings)
    out += "  [" + f.where + "] " + f.field + " = " + f.value + "\n";
  return out;
}

}  // namespace rempart::testing
