// Metadata blocks (metadata_blocks.h): the shared text helpers, IPTC-IIM and Photoshop
// resources, and the public entry points. The EXIF walker is in exif_walker.cc, the XMP
// reader in xmp_reader.cc.
//
// Every reader treats its block as hostile and never fails: what it can read becomes findings,
// what it cannot is reported as a damaged block, because the scrubber removes it either way.
#include "media/metadata_blocks.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "media/byte_source.h"
#include "media/metadata_internal.h"
#include "media/tiff_ifd.h"

namespace rempart {

namespace metadata {

// ---------------------------------------------------------------------------------------------
// Text

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

namespace {

// Decodes one UTF-8 sequence at `i`; returns its length, or 0 when it is not valid UTF-8.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t& cp) {
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(i);
  size_t len = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (b(i + k) & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Characters that could hide or disguise text on a terminal or a web page.
bool IsUnsafeCodePoint(uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0xFEFF;
}

}  // namespace

std::string Utf16ToUtf8(std::span<const uint8_t> bytes, bool big_endian) {
  std::string out;
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    uint32_t unit = big_endian ? bytes[i] << 8 | bytes[i + 1] : bytes[i + 1] << 8 | bytes[i];
    if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < bytes.size()) {
      uint32_t low =
          big_endian ? bytes[i + 2] << 8 | bytes[i + 3] : bytes[i + 3] << 8 | bytes[i + 2];
      if (low >= 0xDC00 && low < 0xE000) {
        AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    if (unit >= 0xD800 && unit < 0xE000) unit = 0xFFFD;
    AppendUtf8(out, unit);
  }
  return out;
}

std::string FormatNumber(double v) {
  std::string s = fmt::format("{:.6f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

namespace {

// ---------------------------------------------------------------------------------------------
// IPTC-IIM

struct IptcDataset {
  uint8_t number;
  const char* field;
  FindingKind kind;
};

// Record 2 (application record) datasets, with exiftool's names.
constexpr IptcDataset kIptcDatasets[] = {
    {5, "ObjectName", FindingKind::kText},
    {20, "SupplementalCategories", FindingKind::kText},
    {25, "Keywords", FindingKind::kText},
    {30, "ReleaseDate", FindingKind::kDate},
    {35, "ReleaseTime", FindingKind::kDate},
    {40, "SpecialInstructions", FindingKind::kText},
    {55, "DateCreated", FindingKind::kDate},
    {60, "TimeCreated", FindingKind::kDate},
    {62, "DigitalCreationDate", FindingKind::kDate},
    {63, "DigitalCreationTime", FindingKind::kDate},
    {65, "OriginatingProgram", FindingKind::kSoftware},
    {70, "ProgramVersion", FindingKind::kSoftware},
    {80, "By-line", FindingKind::kPerson},
    {85, "By-lineTitle", FindingKind::kPerson},
    {90, "City", FindingKind::kLocation},
    {92, "Sub-location", FindingKind::kLocation},
    {95, "Province-State", FindingKind::kLocation},
    {100, "Country-PrimaryLocationCode", FindingKind::kLocation},
    {101, "Country-PrimaryLocationName", FindingKind::kLocation},
    {103, "OriginalTransmissionReference", FindingKind::kText},
    {105, "Headline", FindingKind::kText},
    {110, "Credit", FindingKind::kPerson},
    {115, "Source", FindingKind::kPerson},
    {116, "CopyrightNotice", FindingKind::kPerson},
    {118, "Contact", FindingKind::kPerson},
    {120, "Caption-Abstract", FindingKind::kText},
    {122, "Writer-Editor", FindingKind::kPerson},
};

// ---------------------------------------------------------------------------------------------
// Photoshop image resources

constexpr uint16_t kResIptc = 0x0404;
constexpr uint16_t kResThumbnailOld = 0x0409;
constexpr uint16_t kResThumbnail = 0x040C;
constexpr uint16_t kResIcc = 0x040F;
constexpr uint16_t kResExif = 0x0422;
constexpr uint16_t kResExif3 = 0x0423;
constexpr uint16_t kResXmp = 0x0424;

bool IsResourceSignature(std::span<const uint8_t> b) {
  std::string_view s = AsText(b.first(4));
  return s == "8BIM" || s == "PHUT" || s == "AgHg" || s == "DCSR" || s == "MeSa";
}

}  // namespace

std::string ByteCount(uint64_t n) { return fmt::format("{} bytes", n); }

std::string CleanText(std::string_view raw, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  bool pending_space = false;  // collapse whitespace runs
  bool pending_join = false;   // NUL-separated parts become ", "
  for (size_t i = 0; i < raw.size() && chars < max_chars;) {
    uint32_t cp;
    size_t len = DecodeUtf8(raw, i, cp);
    if (len == 0) {
      cp = static_cast<uint8_t>(raw[i]);  // not UTF-8: read the byte as Latin-1
      len = 1;
    }
    i += len;
    if (cp == 0) {
      pending_join = !out.empty();
      pending_space = false;
      continue;
    }
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_join)
      out += ", ", chars += 2;
    else if (pending_space)
      out += ' ', ++chars;
    pending_join = pending_space = false;
    AppendUtf8(out, IsUnsafeCodePoint(cp) ? 0xFFFD : cp);
    ++chars;
  }
  if (chars >= max_chars) out += "\xE2\x80\xA6";  // …
  return out;
}

bool IsImageStructureTag(uint16_t tag) {
  static constexpr uint16_t kTags[] = {254, 255, 256, 257, 258, 259, 262, 263, 266, 273,  274,
                                       277, 278, 279, 282, 283, 284, 290, 291, 292, 293,  296,
                                       297, 301, 317, 318, 319, 320, 322, 323, 324, 325,  332,
                                       338, 339, 340, 341, 347, 529, 530, 531, 532, 34675};
  return std::find(std::begin(kTags), std::end(kTags), tag) != std::end(kTags);
}

void ReadPhotoshopResources(std::span<const uint8_t> res, PrivacyReport& report) {
  report.Add(FindingKind::kOther, "Photoshop", ByteCount(res.size()), "Photoshop");
  size_t pos = 0;
  for (int count = 0; count < 10000 && pos + 12 <= res.size(); ++count) {
    if (!IsResourceSignature(res.subspan(pos, 4))) return;
    uint16_t id = static_cast<uint16_t>(res[pos + 4] << 8 | res[pos + 5]);
    size_t name_len = res[pos + 6];
    size_t name_total = (1 + name_len + 1) & ~size_t{1};  // Pascal string padded to even
    size_t size_at = pos + 6 + name_total;
    if (size_at + 4 > res.size()) return;
    uint64_t size = uint64_t(res[size_at]) << 24 | uint64_t(res[size_at + 1]) << 16 |
                    uint64_t(res[size_at + 2]) << 8 | res[size_at + 3];
    size_t data_at = size_at + 4;
    if (size > res.size() - data_at) return;  // truncated resource: stop here
    std::span<const uint8_t> data = res.subspan(data_at, size);
    switch (id) {
      case kResIptc:
        ReadIptc(data, report);
        break;
      case kResThumbnail:
      case kResThumbnailOld:
        report.Add(FindingKind::kPreview, "PhotoshopThumbnail", ByteCount(size), "Photoshop");
        break;
      case kResIcc:
        report.has_icc_profile = true;
        break;
      case kResExif:
      case kResExif3:
        ReadExif(data, report, "EXIF");
        break;
      case kResXmp:
        ReadXmp(data, report);
        break;
      default:
        break;
    }
    pos = data_at + size + (size & 1);
  }
}

}  // namespace metadata

void ReadExif(std::span<const uint8_t> tiff_bytes, PrivacyReport& report, std::string_view where) {
  MemorySource source(tiff_bytes);
  auto reader = tiff::TiffReader::Open(source);
  metadata::TiffWalkResult result;
  if (reader.ok()) {
    result = metadata::WalkTiff(*reader, report, where, metadata::TiffRole::kExifBlock);
  } else {
    result.damaged = true;
  }
  if (result.damaged) {
    report.Add(FindingKind::kOther, std::string(where),
               "damaged, " + metadata::ByteCount(tiff_bytes.size()), std::string(where));
  } else if (!result.only_orientation) {
    report.Add(FindingKind::kOther, std::string(where), metadata::ByteCount(tiff_bytes.size()),
               std::string(where));
  }
}

void ReadIptc(std::span<const uint8_t> records, PrivacyReport& report) {
  report.Add(FindingKind::kOther, "IPTC", metadata::ByteCount(records.size()), "IPTC");
  std::map<uint8_t, std::vector<std::string>> values;
  size_t pos = 0;
  // Writers sometimes pad the block: skip NULs between records, stop at anything else.
  for (int count = 0; count < 100000 && pos < records.size(); ++count) {
    if (records[pos] == 0) {
      ++pos;
      continue;
    }
    if (records[pos] != 0x1C || pos + 5 > records.size()) break;
    uint8_t record = records[pos + 1];
    uint8_t dataset = records[pos + 2];
    size_t length = size_t(records[pos + 3]) << 8 | records[pos + 4];
    // Extended lengths (high bit set) are meant for huge binary data; no text record needs one.
    if (length & 0x8000) break;
    pos += 5;
    if (length > records.size() - pos) break;
    if (record == 2) {
      std::string text = metadata::CleanText(metadata::AsText(records.subspan(pos, length)));
      auto& list = values[dataset];
      if (!text.empty() && list.size() < 100 &&
          std::find(list.begin(), list.end(), text) == list.end())
        list.push_back(std::move(text));
    }
    pos += length;
  }
  for (const metadata::IptcDataset& d : metadata::kIptcDatasets) {
    auto it = values.find(d.number);
    if (it == values.end() || it->second.empty()) continue;
    std::string joined;
    for (const std::string& v : it->second) joined += (joined.empty() ? "" : ", ") + v;
    report.Add(d.kind, d.field, metadata::CleanText(joined, 300), "IPTC");
  }
}

std::string BuildOrientationExif(int orientation) {
  if (orientation < 1 || orientation > 8) orientation = 1;
  // "II*\0", IFD0 at 8; one entry: tag 0x0112, type SHORT, count 1, value; next IFD 0.
  const uint8_t bytes[] = {'I',
                           'I',
                           0x2A,
                           0,
                           8,
                           0,
                           0,
                           0,
                           1,
                           0,
                           0x12,
                           0x01,
                           3,
                           0,
                           1,
                           0,
                           0,
                           0,
                           static_cast<uint8_t>(orientation),
                           0,
                           0,
                           0,
                           0,
                           0,
                           0,
                           0};
  return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}

}  // namespace rempart
