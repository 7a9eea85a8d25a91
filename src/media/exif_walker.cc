// The EXIF/TIFF walker (metadata_internal.h): every IFD of a TIFF structure and the sub-IFDs
// hanging from it — EXIF, GPS, Interop, SubIFDs, vendors' maker notes — turned into findings.
// Bounded in IFDs, entries and depth; loops are detected; it never fails.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "media/byte_source.h"
#include "media/metadata_blocks.h"
#include "media/metadata_internal.h"
#include "media/tiff_ifd.h"

namespace rempart::metadata {

namespace {

// ---------------------------------------------------------------------------------------------
// EXIF / TIFF

constexpr int kMaxIfds = 4200;             // pages of a long scanned document, and their sub-IFDs
constexpr uint64_t kMaxEntries = 1 << 20;  // across the whole walk
constexpr int kMaxDepth = 4;               // IFD0 → EXIF → Interop, SubIFDs in SubIFDs
constexpr uint64_t kMaxTextValue = 64 * 1024;

enum class IfdKind { kMain, kExif, kGps, kInterop, kSub, kMakerNote };

struct TagName {
  uint16_t tag;
  const char* name;
  FindingKind kind;
};

// Tags of IFD0 and the EXIF IFD that reveal something, with exiftool's names.
constexpr TagName kExifTags[] = {
    {0x000B, "ProcessingSoftware", FindingKind::kSoftware},
    {0x010D, "DocumentName", FindingKind::kText},
    {0x010E, "ImageDescription", FindingKind::kText},
    {0x010F, "Make", FindingKind::kDevice},
    {0x0110, "Model", FindingKind::kDevice},
    {0x011D, "PageName", FindingKind::kText},
    {0x0131, "Software", FindingKind::kSoftware},
    {0x0132, "ModifyDate", FindingKind::kDate},
    {0x013B, "Artist", FindingKind::kPerson},
    {0x013C, "HostComputer", FindingKind::kSoftware},
    {0x8298, "Copyright", FindingKind::kPerson},
    {0x9003, "DateTimeOriginal", FindingKind::kDate},
    {0x9004, "CreateDate", FindingKind::kDate},
    {0x9010, "OffsetTime", FindingKind::kDate},
    {0x9011, "OffsetTimeOriginal", FindingKind::kDate},
    {0x9012, "OffsetTimeDigitized", FindingKind::kDate},
    {0x9286, "UserComment", FindingKind::kText},
    {0x9290, "SubSecTime", FindingKind::kDate},
    {0x9291, "SubSecTimeOriginal", FindingKind::kDate},
    {0x9292, "SubSecTimeDigitized", FindingKind::kDate},
    {0x9C9B, "XPTitle", FindingKind::kText},
    {0x9C9C, "XPComment", FindingKind::kText},
    {0x9C9D, "XPAuthor", FindingKind::kPerson},
    {0x9C9E, "XPKeywords", FindingKind::kText},
    {0x9C9F, "XPSubject", FindingKind::kText},
    {0xA420, "ImageUniqueID", FindingKind::kSerialNumber},
    {0xA430, "OwnerName", FindingKind::kPerson},
    {0xA431, "SerialNumber", FindingKind::kSerialNumber},
    {0xA433, "LensMake", FindingKind::kDevice},
    {0xA434, "LensModel", FindingKind::kDevice},
    {0xA435, "LensSerialNumber", FindingKind::kSerialNumber},
    {0xA436, "ImageTitle", FindingKind::kText},
    {0xA437, "Photographer", FindingKind::kPerson},
    {0xA438, "ImageEditor", FindingKind::kPerson},
    {0xA439, "CameraFirmware", FindingKind::kSoftware},
    {0xA43A, "RAWDevelopingSoftware", FindingKind::kSoftware},
    {0xA43B, "ImageEditingSoftware", FindingKind::kSoftware},
    {0xA43C, "MetadataEditingSoftware", FindingKind::kSoftware},
    {0xC614, "UniqueCameraModel", FindingKind::kDevice},
    {0xC62F, "CameraSerialNumber", FindingKind::kSerialNumber},
};

constexpr uint16_t kTagNewSubfileType = 0x00FE;
constexpr uint16_t kTagImageWidth = 0x0100;
constexpr uint16_t kTagImageLength = 0x0101;
constexpr uint16_t kTagStripOffsets = 0x0111;
constexpr uint16_t kTagOrientation = 0x0112;
constexpr uint16_t kTagSubIfds = 0x014A;
constexpr uint16_t kTagThumbnailOffset = 0x0201;
constexpr uint16_t kTagThumbnailLength = 0x0202;
constexpr uint16_t kTagXmp = 0x02BC;
constexpr uint16_t kTagIptc = 0x83BB;
constexpr uint16_t kTagPhotoshop = 0x8649;
constexpr uint16_t kTagExifIfd = 0x8769;
constexpr uint16_t kTagIcc = 0x8773;
constexpr uint16_t kTagGpsIfd = 0x8825;
constexpr uint16_t kTagMakerNote = 0x927C;
constexpr uint16_t kTagImageSourceData = 0x935C;
constexpr uint16_t kTagInteropIfd = 0xA005;
constexpr uint16_t kTagPrintIm = 0xC4A5;
constexpr uint16_t kTagPadding = 0xEA1C;

// Maker notes: where the IFD starts and which of its tags reveal something.
struct MakerNoteTag {
  uint16_t tag;
  const char* name;
  FindingKind kind;
  bool ten_digits = false;  // Canon prints its numeric serial with leading zeros
};

constexpr MakerNoteTag kCanonTags[] = {
    {0x0007, "CanonFirmwareVersion", FindingKind::kSoftware},
    {0x0009, "OwnerName", FindingKind::kPerson},
    {0x000C, "SerialNumber", FindingKind::kSerialNumber, true},
    {0x0095, "LensModel", FindingKind::kDevice},
    {0x0096, "InternalSerialNumber", FindingKind::kSerialNumber},
};
constexpr MakerNoteTag kNikonTags[] = {
    {0x001D, "SerialNumber", FindingKind::kSerialNumber},
    {0x00A0, "SerialNumber", FindingKind::kSerialNumber},
};
constexpr MakerNoteTag kOlympusTags[] = {
    {0x0100, "ThumbnailImage", FindingKind::kPreview},
    {0x0209, "CameraID", FindingKind::kDevice},
    {0x0404, "SerialNumber", FindingKind::kSerialNumber},
    {0x0101, "SerialNumber", FindingKind::kSerialNumber},  // in the Equipment IFD of new ones
};
constexpr MakerNoteTag kPanasonicTags[] = {
    {0x0025, "InternalSerialNumber", FindingKind::kSerialNumber},
    {0x0051, "LensType", FindingKind::kDevice},
    {0x0052, "LensSerialNumber", FindingKind::kSerialNumber},
};
constexpr MakerNoteTag kFujifilmTags[] = {
    {0x0010, "InternalSerialNumber", FindingKind::kSerialNumber},
};
constexpr MakerNoteTag kAppleTags[] = {
    {0x000B, "BurstUUID", FindingKind::kSerialNumber},
    {0x0011, "ContentIdentifier", FindingKind::kSerialNumber},
    {0x0015, "ImageUniqueID", FindingKind::kSerialNumber},
};

struct GpsFix {
  std::optional<char> lat_ref, lon_ref;
  std::optional<std::array<tiff::Rational, 3>> lat, lon;
  std::optional<uint64_t> alt_ref;
  std::optional<tiff::Rational> alt;
};

// Degrees from three rationals, and how finely they are written (metres on the ground).
std::optional<std::pair<double, double>> ToDegrees(const std::array<tiff::Rational, 3>& dms) {
  static constexpr double kMetresPerUnit[] = {111320.0, 1852.0, 30.87};
  static constexpr double kUnitsPerDegree[] = {1, 60, 3600};
  double degrees = 0;
  double precision = kMetresPerUnit[0];
  for (int i = 0; i < 3; ++i) {
    if (dms[i].denominator == 0) {
      if (dms[i].numerator != 0) return std::nullopt;
      continue;  // 0/0 is how some writers say "unused"
    }
    degrees += double(dms[i].numerator) / dms[i].denominator / kUnitsPerDegree[i];
    precision = std::min(precision, kMetresPerUnit[i] / dms[i].denominator);
  }
  return std::make_pair(degrees, precision);
}

class TiffWalker {
 public:
  TiffWalker(const tiff::TiffReader& reader, PrivacyReport& report, std::string_view where,
             TiffRole role)
      : reader_(reader), report_(report), where_(where), role_(role) {}

  TiffWalkResult Walk() {
    WalkChain(reader_.first_ifd());
    FinishGps();
    return result_;
  }

 private:
  void Add(FindingKind kind, std::string field, std::string value) {
    report_.Add(kind, std::move(field), std::move(value), where_);
  }
  void Damage() { result_.damaged = true; }

  // Reads one IFD once: loops and excess are refused.
  std::optional<tiff::Ifd> Enter(uint64_t offset) {
    if (++ifd_count_ > kMaxIfds || !visited_.insert(offset).second) {
      Damage();
      return std::nullopt;
    }
    auto ifd = reader_.ReadIfd(offset);
    if (!ifd.ok()) {
      Damage();
      return std::nullopt;
    }
    entry_count_ += ifd->entries.size();
    if (entry_count_ > kMaxEntries) {
      Damage();
      return std::nullopt;
    }
    return std::move(ifd).value();
  }

  // IFD0, IFD1, … : in an EXIF block IFD1 is the thumbnail; in a TIFF file later IFDs are
  // pages or reduced-resolution previews.
  void WalkChain(uint64_t offset) {
    for (int index = 0; offset != 0; ++index) {
      auto ifd = Enter(offset);
      if (!ifd) return;
      WalkIfd(*ifd, IfdKind::kMain, index, 0);
      offset = ifd->next;
    }
  }

  void WalkSub(uint64_t offset, IfdKind kind, int depth) {
    if (depth > kMaxDepth) {
      Damage();
      return;
    }
    auto ifd = Enter(offset);
    if (ifd) WalkIfd(*ifd, kind, 0, depth);
  }

  void WalkIfd(const tiff::Ifd& ifd, IfdKind kind, int index, int depth) {
    if (kind == IfdKind::kGps) {
      WalkGps(ifd);
      return;
    }
    bool reduced = false;
    if (const tiff::Entry* e = ifd.Find(kTagNewSubfileType)) {
      auto v = reader_.ReadUint(*e);
      reduced = v.ok() && (*v & 1) != 0;
    }
    NotePreview(ifd, kind, index, reduced);
    for (const tiff::Entry& e : ifd.entries) {
      if (e.tag != kTagOrientation) result_.only_orientation = false;
      if (kind == IfdKind::kMain && index == 0 && e.tag == kTagOrientation) ReadOrientation(e);
      if (!HandleEntry(e, kind, depth)) CountOther(e, kind);
    }
  }

  void CountOther(const tiff::Entry& e, IfdKind kind) {
    bool structure = kind == IfdKind::kMain || kind == IfdKind::kSub;
    if (role_ == TiffRole::kTiffFile && structure && IsImageStructureTag(e.tag)) return;
    if (e.tag == kTagPadding) return;
    ++result_.other_tags;
  }

  void ReadOrientation(const tiff::Entry& e) {
    auto v = reader_.ReadUint(e);
    if (v.ok() && *v >= 1 && *v <= 8) report_.orientation = static_cast<int>(*v);
  }

  // Thumbnails and previews, which can show the picture before it was cropped.
  void NotePreview(const tiff::Ifd& ifd, IfdKind kind, int index, bool reduced) {
    const tiff::Entry* jpeg_offset = ifd.Find(kTagThumbnailOffset);
    const tiff::Entry* jpeg_length = ifd.Find(kTagThumbnailLength);
    if (jpeg_offset && jpeg_length) {
      auto length = reader_.ReadUint(*jpeg_length);
      bool exif_thumb = role_ == TiffRole::kExifBlock && index > 0;
      Add(FindingKind::kPreview, exif_thumb ? "ThumbnailImage" : "PreviewImage",
          length.ok() ? ByteCount(*length) : "");
      return;
    }
    bool strips = ifd.Find(kTagStripOffsets) || ifd.Find(0x0144);
    if (!strips) return;
    bool is_preview =
        (role_ == TiffRole::kExifBlock && kind == IfdKind::kMain && index > 0) ||
        (role_ == TiffRole::kTiffFile && reduced && (index > 0 || kind == IfdKind::kSub));
    if (!is_preview) return;
    std::string size;
    const tiff::Entry* w = ifd.Find(kTagImageWidth);
    const tiff::Entry* h = ifd.Find(kTagImageLength);
    if (w && h) {
      auto wv = reader_.ReadUint(*w);
      auto hv = reader_.ReadUint(*h);
      if (wv.ok() && hv.ok()) size = fmt::format("{}x{}", *wv, *hv);
    }
    Add(FindingKind::kPreview, role_ == TiffRole::kExifBlock ? "ThumbnailTIFF" : "PreviewImage",
        size);
  }

  // Returns true when the entry was a finding, a pointer or a known block.
  bool HandleEntry(const tiff::Entry& e, IfdKind kind, int depth) {
    switch (e.tag) {
      case kTagExifIfd:
        FollowPointer(e, IfdKind::kExif, depth);
        return true;
      case kTagGpsIfd:
        FollowPointer(e, IfdKind::kGps, depth);
        return true;
      case kTagInteropIfd:
        FollowPointer(e, IfdKind::kInterop, depth);
        return true;
      case kTagSubIfds:
        FollowSubIfds(e, depth);
        return true;
      case kTagMakerNote:
        ReadMakerNote(e);
        return true;
      case kTagXmp:
        ReadEmbedded(e, [&](std::span<const uint8_t> b) { ReadXmp(b, report_); });
        return true;
      case kTagIptc:
        ReadEmbedded(e, [&](std::span<const uint8_t> b) { ReadIptc(b, report_); });
        return true;
      case kTagPhotoshop:
        ReadEmbedded(e, [&](std::span<const uint8_t> b) { ReadPhotoshopResources(b, report_); });
        return true;
      case kTagIcc:
        report_.has_icc_profile = true;
        return true;
      case kTagImageSourceData:
        Add(FindingKind::kPreview, "ImageSourceData", ByteCount(e.value_size));
        return true;
      case kTagPrintIm:
        Add(FindingKind::kOther, "PrintIM", ByteCount(e.value_size));
        return true;
      default:
        break;
    }
    if (kind == IfdKind::kMakerNote || kind == IfdKind::kInterop) return false;
    for (const TagName& t : kExifTags) {
      if (t.tag == e.tag) {
        AddTextTag(e, t.name, t.kind);
        return true;
      }
    }
    return false;
  }

  void FollowPointer(const tiff::Entry& e, IfdKind kind, int depth) {
    auto offset = reader_.ReadUint(e);
    if (!offset.ok() || *offset == 0) {
      Damage();
      return;
    }
    WalkSub(*offset, kind, depth + 1);
  }

  void FollowSubIfds(const tiff::Entry& e, int depth) {
    auto offsets = reader_.ReadUints(e, 64);
    if (!offsets.ok()) {
      Damage();
      return;
    }
    for (uint64_t offset : *offsets) WalkSub(offset, IfdKind::kSub, depth + 1);
  }

  template <typename Reader>
  void ReadEmbedded(const tiff::Entry& e, Reader&& read) {
    auto bytes = reader_.ReadRaw(e, 16 << 20);
    if (!bytes.ok()) {
      Damage();
      return;
    }
    read(std::span<const uint8_t>(*bytes));
  }

  // The text of an entry as exiftool would show it, or nullopt when empty or unreadable.
  std::optional<std::string> TextValue(const tiff::Entry& e) {
    if (e.type == tiff::kShort || e.type == tiff::kLong) {
      auto values = reader_.ReadUints(e, 16);
      if (!values.ok()) return std::nullopt;
      std::string out;
      for (uint64_t v : *values) out += (out.empty() ? "" : " ") + std::to_string(v);
      return out;
    }
    if (e.type != tiff::kAscii && e.type != tiff::kByte && e.type != tiff::kUndefined)
      return std::nullopt;
    auto raw = reader_.ReadRaw(e, kMaxTextValue);
    if (!raw.ok()) {
      Damage();
      return std::nullopt;
    }
    std::string text;
    if (e.tag >= 0x9C9B && e.tag <= 0x9C9F) {
      text = CleanText(Utf16ToUtf8(*raw, false));  // XP* tags are always UCS-2 little-endian
    } else if (e.tag == 0x9286) {
      text = UserCommentText(*raw);
    } else {
      text = CleanText(AsText(*raw));
    }
    if (text.empty()) return std::nullopt;
    return text;
  }

  // EXIF UserComment: an 8-byte character-code prefix, then the text.
  std::string UserCommentText(std::span<const uint8_t> raw) {
    if (raw.size() < 8) return CleanText(AsText(raw));
    std::string_view code = AsText(raw.first(8));
    std::span<const uint8_t> body = raw.subspan(8);
    if (code.starts_with("UNICODE")) {
      bool big = reader_.big_endian();
      if (body.size() >= 2 && body[0] == 0xFE && body[1] == 0xFF)
        big = true, body = body.subspan(2);
      if (body.size() >= 2 && body[0] == 0xFF && body[1] == 0xFE)
        big = false, body = body.subspan(2);
      return CleanText(Utf16ToUtf8(body, big));
    }
    return CleanText(AsText(body));
  }

  void AddTextTag(const tiff::Entry& e, const char* name, FindingKind kind) {
    auto text = TextValue(e);
    if (!text) return;
    if (e.tag == 0x010F && text->starts_with("Canon")) make_is_canon_ = true;
    Add(kind, name, std::move(*text));
  }

  void WalkGps(const tiff::Ifd& ifd) {
    result_.only_orientation = false;
    for (const tiff::Entry& e : ifd.entries) {
      switch (e.tag) {
        case 1:
        case 3: {
          auto text = TextValue(e);
          if (text && !text->empty()) (e.tag == 1 ? gps_.lat_ref : gps_.lon_ref) = (*text)[0];
          break;
        }
        case 2:
        case 4:
          if (auto dms = ReadDms(e)) (e.tag == 2 ? gps_.lat : gps_.lon) = *dms;
          break;
        case 5: {
          auto v = reader_.ReadUint(e);
          if (v.ok()) gps_.alt_ref = *v;
          break;
        }
        case 6: {
          auto v = reader_.ReadRational(e, 0);
          if (v.ok()) gps_.alt = *v;
          break;
        }
        case 7:
          if (auto dms = ReadDms(e)) Add(FindingKind::kDate, "GPSTimeStamp", FormatTime(*dms));
          break;
        case 0x1D:
          AddTextTag(e, "GPSDateStamp", FindingKind::kDate);
          break;
        case 0x1C:
          AddTextTag(e, "GPSAreaInformation", FindingKind::kLocation);
          break;
        default:
          break;
      }
    }
    gps_seen_ = true;
  }

  std::optional<std::array<tiff::Rational, 3>> ReadDms(const tiff::Entry& e) {
    if (e.count < 3) return std::nullopt;
    std::array<tiff::Rational, 3> out;
    for (uint32_t i = 0; i < 3; ++i) {
      auto r = reader_.ReadRational(e, i);
      if (!r.ok()) {
        Damage();
        return std::nullopt;
      }
      out[i] = *r;
    }
    return out;
  }

  static std::string FormatTime(const std::array<tiff::Rational, 3>& hms) {
    double v[3];
    for (int i = 0; i < 3; ++i)
      v[i] = hms[i].denominator ? double(hms[i].numerator) / hms[i].denominator : 0;
    // Hostile rationals can hold billions: reduce before converting, never cast out of range.
    auto two_digits = [](double x) { return static_cast<int>(std::fmod(x, 100.0)); };
    std::string seconds = FormatNumber(std::fmod(v[2], 100.0));
    if (std::fmod(v[2], 100.0) < 10) seconds = "0" + seconds;
    return fmt::format("{:02}:{:02}:{}", two_digits(v[0]), two_digits(v[1]), seconds);
  }

  void FinishGps() {
    if (!gps_seen_ || !gps_.lat || !gps_.lon) return;
    auto lat = ToDegrees(*gps_.lat);
    auto lon = ToDegrees(*gps_.lon);
    if (!lat || !lon || lat->first > 90 || lon->first > 180) return;
    if (lat->first == 0 && lon->first == 0) return;  // "no fix" as some phones write it
    GeoPoint point;
    point.latitude = gps_.lat_ref == 'S' ? -lat->first : lat->first;
    point.longitude = gps_.lon_ref == 'W' ? -lon->first : lon->first;
    point.precision_m = std::max(lat->second, lon->second);
    if (gps_.alt && gps_.alt->denominator != 0) {
      double alt = double(gps_.alt->numerator) / gps_.alt->denominator;
      if (gps_.alt_ref == 1u) alt = -alt;
      point.altitude_m = alt;
    }
    Add(FindingKind::kLocation, "GPSPosition",
        fmt::format("{:.6f}, {:.6f}", point.latitude, point.longitude));
    if (point.altitude_m) {
      Add(FindingKind::kLocation, "GPSAltitude",
          fmt::format("{} m", FormatNumber(std::round(*point.altitude_m * 10) / 10)));
    }
    if (!report_.location) report_.location = point;
  }

  // Maker notes are private to each vendor; those we know well enough yield their serial
  // numbers and owner names, every one is reported as a block.
  void ReadMakerNote(const tiff::Entry& e) {
    Add(FindingKind::kOther, "MakerNotes", ByteCount(e.value_size));
    if (!e.usable || e.value_size < 16) return;
    uint8_t head[16];
    if (!reader_.source().ReadAt(reader_.base() + e.value_offset, head).ok()) return;
    std::string_view h(reinterpret_cast<const char*>(head), sizeof head);
    const uint64_t mn = e.value_offset;           // relative to reader_.base()
    const uint64_t mn_abs = reader_.base() + mn;  // in the source
    const ByteSource& src = reader_.source();
    if (h.starts_with(std::string_view("Nikon\0\x02", 7))) {
      auto sub = tiff::TiffReader::Open(src, mn_abs + 10);
      if (sub.ok()) WalkMakerIfd(*sub, sub->first_ifd(), kNikonTags);
    } else if (h.starts_with(std::string_view("OLYMPUS\0", 8)) ||
               h.starts_with(std::string_view("OM SYSTEM", 9))) {
      size_t at = h.starts_with("OM SYSTEM") ? 12 : 8;
      bool big = head[at] == 'M';
      auto sub = tiff::TiffReader::Headerless(src, mn_abs, big);
      WalkMakerIfd(sub, at + 4, kOlympusTags, /*follow_olympus_equipment=*/true);
    } else if (h.starts_with(std::string_view("OLYMP\0", 6)) ||
               h.starts_with(std::string_view("EPSON\0", 6))) {
      WalkMakerIfd(reader_, mn + 8, kOlympusTags);
    } else if (h.starts_with("Panasonic")) {
      WalkMakerIfd(reader_, mn + 12, kPanasonicTags);
    } else if (h.starts_with("FUJIFILM")) {
      uint32_t start = head[8] | head[9] << 8 | head[10] << 16 | uint32_t(head[11]) << 24;
      WalkMakerIfd(tiff::TiffReader::Headerless(src, mn_abs, false), start, kFujifilmTags);
    } else if (h.starts_with("Apple iOS")) {
      WalkMakerIfd(tiff::TiffReader::Headerless(src, mn_abs, true), 14, kAppleTags);
    } else if (make_is_canon_) {
      WalkMakerIfd(reader_, mn, kCanonTags);
    }
  }

  template <size_t N>
  void WalkMakerIfd(const tiff::TiffReader& reader, uint64_t offset, const MakerNoteTag (&tags)[N],
                    bool follow_olympus_equipment = false, int depth = 0) {
    if (depth > 1 || ++ifd_count_ > kMaxIfds) return;
    // Maker-note offsets may be relative to another base, so the visited set does not apply;
    // the depth bound above keeps a crafted note from looping.
    auto ifd = reader.ReadIfd(offset);
    if (!ifd.ok() && depth == 0) {
      // Editors that rewrite EXIF in the other byte order keep the camera's maker note as it
      // was (exiftool does): try the other order before giving up.
      tiff::TiffReader swapped =
          tiff::TiffReader::Headerless(reader.source(), reader.base(), !reader.big_endian());
      if (swapped.ReadIfd(offset).ok()) {
        WalkMakerIfd(swapped, offset, tags, follow_olympus_equipment, depth + 1);
        return;
      }
    }
    if (!ifd.ok()) return;  // many vendors' notes are not IFDs at all: not damage
    entry_count_ += ifd->entries.size();
    if (entry_count_ > kMaxEntries) return;
    for (const tiff::Entry& e : ifd->entries) {
      if (follow_olympus_equipment && e.tag == 0x2010) {
        auto sub = e.type == tiff::kIfdType || e.type == tiff::kLong ? reader.ReadUint(e)
                                                                     : Result<uint64_t>(0);
        if (sub.ok() && *sub != 0) WalkMakerIfd(reader, *sub, tags, false, depth + 1);
        continue;
      }
      for (const MakerNoteTag& t : tags) {
        if (t.tag != e.tag) continue;
        AddMakerValue(reader, e, t);
        break;
      }
    }
  }

  void AddMakerValue(const tiff::TiffReader& reader, const tiff::Entry& e, const MakerNoteTag& t) {
    auto add = [&](FindingKind kind, std::string value) {
      report_.Add(kind, t.name, std::move(value), "MakerNotes");
    };
    if (t.kind == FindingKind::kPreview) {
      if (e.value_size > 0) add(FindingKind::kPreview, ByteCount(e.value_size));
      return;
    }
    if (e.type == tiff::kLong || e.type == tiff::kShort) {
      auto v = reader.ReadUint(e);
      if (v.ok() && *v != 0)
        add(t.kind, t.ten_digits ? fmt::format("{:010}", *v) : std::to_string(*v));
      return;
    }
    auto raw = reader.ReadRaw(e, 4096);
    if (!raw.ok()) return;
    // Vendor strings end at their first NUL; what follows is padding (0xFF runs in Olympus
    // notes), not text.
    std::string_view text = AsText(*raw);
    text = text.substr(0, text.find('\0'));
    std::string clean = CleanText(text);
    if (!clean.empty()) add(t.kind, std::move(clean));
  }

  const tiff::TiffReader& reader_;
  PrivacyReport& report_;
  std::string where_;
  TiffRole role_;
  TiffWalkResult result_;
  std::set<uint64_t> visited_;
  int ifd_count_ = 0;
  uint64_t entry_count_ = 0;
  GpsFix gps_;
  bool gps_seen_ = false;
  bool make_is_canon_ = false;
};

}  // namespace

TiffWalkResult WalkTiff(const tiff::TiffReader& reader, PrivacyReport& report,
                        std::string_view where, TiffRole role) {
  return TiffWalker(reader, report, where, role).Walk();
}

}  // namespace rempart::metadata
