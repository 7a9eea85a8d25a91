// What a HEIF or AVIF image's items and properties reveal.
#include <algorithm>
#include <array>

#include "media/iso_bmff_internal.h"
#include "media/metadata_blocks.h"
#include "media/metadata_internal.h"
#include "media/quicktime_metadata.h"

namespace rempart::bmff {
namespace {

using Bytes = std::span<const uint8_t>;
constexpr uint64_t kMaxItemRead = 16 * 1024 * 1024;  // Exif/XMP items larger are not parsed

Bytes Payload(Bytes bytes, const Box& box) {
  return bytes.subspan(box.payload_offset(), box.payload_size());
}

// The bytes of an item stored in the file (method 0) or in 'idat' (method 1).
Result<std::vector<uint8_t>> ReadItem(const ByteSource& source, Bytes meta_bytes,
                                      const HeifMeta& meta, const HeifLocation& loc) {
  if (loc.data_reference_index != 0 || loc.construction_method > 1) return Damaged();
  std::vector<uint8_t> out;
  for (const HeifExtent& extent : loc.extents) {
    uint64_t start = loc.base_offset + extent.offset;
    if (start < loc.base_offset) return Damaged();
    if (loc.construction_method == 1) {
      if (!meta.has_idat) return Damaged();
      Bytes idat = Payload(meta_bytes, meta.idat);
      if (start > idat.size()) return Damaged();
      uint64_t length = extent.length ? extent.length : idat.size() - start;
      if (length > idat.size() - start || out.size() + length > kMaxItemRead) return Damaged();
      out.insert(out.end(), idat.begin() + start, idat.begin() + start + length);
      continue;
    }
    if (start > source.size()) return Damaged();
    uint64_t length = extent.length ? extent.length : source.size() - start;
    REMPART_ASSIGN_OR_RETURN(auto part, source.Read(start, length, kMaxItemRead - out.size()));
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

// HEIF's Exif item: a 32-bit offset to the TIFF header, then (usually "Exif\0\0" and) TIFF.
Bytes TiffOfExifItem(Bytes item) {
  Reader r(item);
  uint32_t skip = r.U32();
  if (r.ok() && skip <= item.size() - 4) {
    Bytes tiff = item.subspan(4 + skip);
    if (tiff.size() >= 4 && (tiff[0] == 'I' || tiff[0] == 'M')) return tiff;
  }
  // Some writers get the offset wrong: look for the TIFF header near the start.
  for (size_t at = 0; at + 4 <= item.size() && at < 64; ++at) {
    if ((item[at] == 'I' && item[at + 1] == 'I' && item[at + 2] == 42 && item[at + 3] == 0) ||
        (item[at] == 'M' && item[at + 1] == 'M' && item[at + 2] == 0 && item[at + 3] == 42))
      return item.subspan(at);
  }
  return {};
}

bool IsXmp(const HeifItem& item) {
  return item.type == FourCC("mime") && (item.content_type.find("rdf+xml") != std::string::npos ||
                                         item.content_type.find("xmp") != std::string::npos);
}

// A 2x2 integer matrix, the display transform built from irot and imir.
using Matrix = std::array<int, 4>;
Matrix Multiply(const Matrix& a, const Matrix& b) {
  return {a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
          a[2] * b[1] + a[3] * b[3]};
}

// EXIF orientations as the transform that shows the stored picture upright (y pointing up).
constexpr Matrix kOrientations[8] = {
    {1, 0, 0, 1},   {-1, 0, 0, 1}, {-1, 0, 0, -1}, {1, 0, 0, -1},
    {0, -1, -1, 0}, {0, 1, -1, 0}, {0, 1, 1, 0},   {0, -1, 1, 0},
};

void ReadPrimaryProperties(Bytes bytes, const HeifMeta& meta, PrivacyReport& report) {
  Matrix transform = {1, 0, 0, 1};
  for (const HeifIpma& ipma : meta.ipmas) {
    for (const HeifItemProperties& entry : ipma.entries) {
      if (entry.item_id != meta.primary_item) continue;
      for (const HeifAssociation& a : entry.associations) {
        if (a.index == 0 || a.index > meta.properties.size()) continue;
        const Box& property = meta.properties[a.index - 1];
        Reader r(Payload(bytes, property));
        if (property.type == FourCC("ispe")) {
          r.Skip(4);
          uint32_t width = r.U32(), height = r.U32();
          if (r.ok() && width <= 1u << 30 && height <= 1u << 30) {
            report.width = static_cast<int>(width);
            report.height = static_cast<int>(height);
          }
        } else if (property.type == FourCC("irot")) {
          const Matrix ccw = {0, -1, 1, 0};
          for (int turns = r.U8() & 3; turns > 0; --turns) transform = Multiply(ccw, transform);
        } else if (property.type == FourCC("imir")) {
          Matrix mirror = (r.U8() & 1) ? Matrix{1, 0, 0, -1} : Matrix{-1, 0, 0, 1};
          transform = Multiply(mirror, transform);
        } else if (property.type == FourCC("colr")) {
          uint32_t kind = r.U32();
          if (kind == FourCC("prof") || kind == FourCC("rICC")) report.has_icc_profile = true;
        }
      }
    }
  }
  for (int i = 0; i < 8; ++i)
    if (kOrientations[i] == transform) report.orientation = i + 1;
}

// Properties that describe the picture in words or dates (ISO/IEC 23008-12:2022).
void ReadDescriptiveProperties(Bytes bytes, const HeifMeta& meta, PrivacyReport& report) {
  for (const Box& property : meta.properties) {
    Reader r(Payload(bytes, property));
    r.Skip(4);
    if (property.type == FourCC("udes")) {
      r.CString();  // language
      std::string text;
      for (int i = 0; i < 3; ++i) {
        std::string_view part = r.CString();
        if (!part.empty()) text += (text.empty() ? "" : ", ") + std::string(part);
      }
      report.Add(FindingKind::kText, "UserDescription",
                 text.empty() ? ByteCount(property.size) : metadata::CleanText(text), "HEIF");
    } else if (property.type == FourCC("crtt") || property.type == FourCC("mdft")) {
      uint64_t microseconds = r.U64();
      if (!r.ok() || microseconds == 0) continue;
      report.Add(FindingKind::kDate,
                 property.type == FourCC("crtt") ? "CreationTime" : "ModificationTime",
                 Mac1904ToString(microseconds / 1000000), "HEIF");
    }
  }
}

void ReadItems(const ByteSource& source, Bytes bytes, const HeifMeta& meta, PrivacyReport& report) {
  for (const HeifItem& item : meta.items) {
    const HeifLocation* loc = meta.FindLocation(item.id);
    bool is_exif = item.type == FourCC("Exif");
    if (!is_exif && !IsXmp(item)) {
      if (item.type == FourCC("mime") || item.type == FourCC("uri "))
        report.Add(FindingKind::kOther, "Item", TypeName(item.type) + " " + item.content_type,
                   "HEIF");
      continue;
    }
    auto data = loc ? ReadItem(source, bytes, meta, *loc) : Result<std::vector<uint8_t>>(Damaged());
    if (!data.ok()) {
      report.Add(FindingKind::kOther, is_exif ? "EXIF" : "XMP", "unreadable item", "HEIF");
      continue;
    }
    if (!is_exif) {
      ReadXmp(*data, report);
      continue;
    }
    Bytes tiff = TiffOfExifItem(*data);
    if (tiff.empty()) {
      report.Add(FindingKind::kOther, "EXIF", ByteCount(data->size()), "HEIF");
      continue;
    }
    ReadExif(tiff, report, "EXIF");
  }
}

void ReadThumbnails(const HeifMeta& meta, PrivacyReport& report) {
  int shown = 0;
  for (const HeifReference& ref : meta.references) {
    if (ref.type != FourCC("thmb") || ++shown > 16) continue;  // one finding says enough
    const HeifItem* item = meta.FindItem(ref.from);
    std::string kind = item ? TypeName(item->type) : std::string("unknown");
    report.Add(FindingKind::kPreview, "ThumbnailImage",
               "item " + std::to_string(ref.from) + " (" + kind + ")", "HEIF");
  }
}

}  // namespace

Result<std::vector<uint8_t>> ReadWholeBox(const ByteSource& source, const Box& box,
                                          uint64_t limit) {
  return source.Read(box.offset, box.size, limit);
}

Status InspectHeifMeta(const ByteSource& source, const Box& box, PrivacyReport& report) {
  REMPART_ASSIGN_OR_RETURN(auto bytes, ReadWholeBox(source, box, kMaxMetaBox));
  REMPART_ASSIGN_OR_RETURN(HeifMeta meta, ParseHeifMeta(bytes));
  ReadPrimaryProperties(bytes, meta, report);
  ReadDescriptiveProperties(bytes, meta, report);
  ReadItems(source, bytes, meta, report);
  ReadThumbnails(meta, report);
  for (const Box& child : meta.children) {
    if (child.type == FourCC("uuid") || child.type == FourCC("xml ") ||
        child.type == FourCC("bxml") || child.type == FourCC("udta"))
      report.Add(FindingKind::kOther, TypeName(child.type), ByteCount(child.size), "HEIF");
  }
  return Status::Ok();
}

}  // namespace rempart::bmff
