#include "evidence/zip_canonical.h"

#include <algorithm>
#include <string>

namespace rempart {
namespace {

constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr uint16_t kFlagMaxDeflate = 0x0002;  // libzip marks its default deflate level so
constexpr uint16_t kFlagUtf8 = 0x0800;
constexpr size_t kEocd64RecordSize = 56;

uint64_t Le(std::span<const uint8_t> bytes, size_t at, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= uint64_t{bytes[at + i]} << (8 * i);
  return value;
}

Status Altered(std::string_view where, std::string_view field) {
  return Error(Code::kVerifyFailed,
               "{}: the zip header field \"{}\" differs from what Rempart writes; the archive was "
               "altered or re-packed after export (the files themselves are checked separately)",
               where, field);
}

bool NameIsAscii(const std::string& name) {
  return std::all_of(name.begin(), name.end(), [](char c) { return (c & 0x80) == 0; });
}

// An extra field is empty or one zip64 block; libzip writes nothing else.
bool ExtraIsZip64Only(const std::vector<uint8_t>& extra) {
  if (extra.empty()) return true;
  return extra.size() >= 4 && Le(extra, 0, 2) == kZip64ExtraId &&
         Le(extra, 2, 2) == extra.size() - 4;
}

uint16_t VersionNeeded(const ZipLayoutEntry& e, bool zip64) {
  if (zip64) return 45;
  return e.method == 8 ? 20 : 10;
}

Status CheckHeader(const ZipLayoutEntry& e, const ZipLayoutEntry::Header& h, bool local) {
  const std::string& where = e.name;
  const bool zip64 = !h.extra.empty();
  const uint16_t flags =
      (e.method == 8 ? kFlagMaxDeflate : 0) | (NameIsAscii(e.name) ? 0 : kFlagUtf8);
  if (h.version_needed != VersionNeeded(e, zip64)) return Altered(where, "version needed");
  if (h.flags != flags) return Altered(where, "flags");
  if (h.dos_time != kCanonicalDosTime) return Altered(where, "modification time");
  if (h.dos_date != kCanonicalDosDate) return Altered(where, "modification date");
  if (!ExtraIsZip64Only(h.extra)) return Altered(where, "extra field");
  // Sizes say "see zip64" exactly when the zip64 block is there; otherwise they are the sizes.
  const uint32_t marker = 0xFFFFFFFF;
  if (h.crc != e.crc) return Altered(where, "CRC");
  if (zip64 ? (local && (h.size != marker || h.compressed_size != marker))
            : (h.size != e.size || h.compressed_size != e.compressed_size)) {
    return Altered(where, "sizes");
  }
  if (local && zip64 &&
      (h.extra.size() != 20 || Le(h.extra, 4, 8) != e.size ||
       Le(h.extra, 12, 8) != e.compressed_size)) {
    return Altered(where, "zip64 sizes");
  }
  return Status::Ok();
}

Status CheckEntryHeaders(const ZipLayoutEntry& e) {
  if (e.made_by != kCanonicalMadeBy) return Altered(e.name, "version made by");
  if (e.internal_attributes != 0) return Altered(e.name, "internal attributes");
  if (e.external_attributes != kCanonicalExternalAttributes) {
    return Altered(e.name, "external attributes");
  }
  if (e.comment_length != 0) return Altered(e.name, "comment");
  if (e.disk != 0) return Altered(e.name, "disk number");
  REMPART_RETURN_IF_ERROR(CheckHeader(e, e.central, /*local=*/false));
  return CheckHeader(e, e.local, /*local=*/true);
}

// Records follow each other with no gap, in central directory order: entries from offset 0, then
// the central directory,
// then the end records, then the end of the file. A gap could hide anything.
Status CheckSpacing(const ZipLayout& layout) {
  uint64_t next = 0;
  for (const ZipLayoutEntry& e : layout.entries) {
    if (e.local_header_offset != next) return Altered(e.name, "position");
    next = e.data_end;
  }
  if (layout.directory_offset != next) return Altered("the archive", "central directory position");
  const uint64_t directory_end = layout.directory_offset + layout.directory_size;
  if (layout.eocd64_offset) {
    if (*layout.eocd64_offset != directory_end) return Altered("the archive", "zip64 end record");
    if (layout.eocd_offset != directory_end + layout.eocd64.size()) {
      return Altered("the archive", "zip64 end locator");
    }
  } else if (layout.eocd_offset != directory_end) {
    return Altered("the archive", "end record position");
  }
  if (layout.file_size != layout.eocd_offset + layout.eocd.size()) {
    return Altered("the archive", "archive comment");
  }
  return Status::Ok();
}

// The classic end record says "see zip64" only for values that do not fit.
Status CheckEndRecord(const ZipLayout& layout) {
  const std::vector<uint8_t>& r = layout.eocd;
  const uint64_t n = layout.entries.size();
  const uint64_t count = std::min<uint64_t>(n, 0xFFFF);
  const uint64_t size = std::min<uint64_t>(layout.directory_size, 0xFFFFFFFF);
  const uint64_t offset = std::min<uint64_t>(layout.directory_offset, 0xFFFFFFFF);
  if (Le(r, 8, 2) != count || Le(r, 10, 2) != count || Le(r, 12, 4) != size ||
      Le(r, 16, 4) != offset) {
    return Altered("the archive", "end record");
  }
  return Status::Ok();
}

// libzip's zip64 end record: size 44, versions 45 and 45, one disk.
Status CheckZip64EndRecord(const ZipLayout& layout) {
  if (!layout.eocd64_offset) return Status::Ok();
  const std::vector<uint8_t>& r = layout.eocd64;
  if (r.size() != kEocd64RecordSize + 20 || Le(r, 4, 8) != kEocd64RecordSize - 12 ||
      Le(r, 12, 2) != 45 || Le(r, 14, 2) != 45 || Le(r, kEocd64RecordSize + 16, 4) != 1) {
    return Altered("the archive", "zip64 end record");
  }
  return Status::Ok();
}

}  // namespace

Status CheckCanonicalZip(const ZipLayout& layout) {
  for (const ZipLayoutEntry& e : layout.entries) REMPART_RETURN_IF_ERROR(CheckEntryHeaders(e));
  REMPART_RETURN_IF_ERROR(CheckSpacing(layout));
  REMPART_RETURN_IF_ERROR(CheckEndRecord(layout));
  return CheckZip64EndRecord(layout);
}

}  // namespace rempart
