// ISO base media files (HEIF, AVIF, MP4, MOV): the top-level walk and the privacy report.
#include <algorithm>
#include <cstring>

#include "media/heif_meta.h"
#include "media/iso_bmff_internal.h"
#include "media/media_format.h"
#include "media/metadata_blocks.h"
#include "media/quicktime_metadata.h"

namespace rempart {
namespace bmff {
namespace {

constexpr uint64_t kMaxUuidRead = 16 * 1024 * 1024;
constexpr uint8_t kXmpUuid[16] = {0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8,
                                  0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC};

std::string UuidText(const std::array<uint8_t, 16>& uuid) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[uuid[i] >> 4];
    out += kHex[uuid[i] & 0xF];
  }
  return out;
}

void InspectUuid(const ByteSource& source, const Box& box, PrivacyReport& report) {
  if (std::memcmp(box.uuid.data(), kXmpUuid, 16) == 0) {
    auto xmp = source.Read(box.payload_offset(), box.payload_size(), kMaxUuidRead);
    if (xmp.ok()) return ReadXmp(*xmp, report);
    return report.Add(FindingKind::kOther, "XMP", ByteCount(box.size), "QuickTime");
  }
  // Sony, GoPro and others keep camera settings and serial numbers in boxes of their own.
  report.Add(FindingKind::kOther, "uuid " + UuidText(box.uuid), ByteCount(box.size), "QuickTime");
}

// tkhd's width and height (16.16 fixed point) follow the dates, duration, layer and matrix.
void ReadTrackSize(const ByteSource& source, const Box& tkhd, PrivacyReport& report) {
  uint8_t version = 0;
  if (report.width || !source.ReadAt(tkhd.payload_offset(), {&version, 1}).ok()) return;
  uint64_t at = version == 1 ? 88 : 76;
  uint8_t size[8];
  if (tkhd.payload_size() < at + 8 || !source.ReadAt(tkhd.payload_offset() + at, size).ok()) return;
  Reader r(size);
  uint32_t width = r.U32() >> 16, height = r.U32() >> 16;
  if (width && height) {
    report.width = static_cast<int>(width);
    report.height = static_cast<int>(height);
  }
}

// Tracks whose samples are metadata (GPS logs, face rectangles): named, not read.
void ReadHandler(const ByteSource& source, const Box& hdlr, PrivacyReport& report) {
  uint8_t head[12];
  if (hdlr.payload_size() < 12 || !source.ReadAt(hdlr.payload_offset(), head).ok()) return;
  uint32_t handler = Reader(head, 8).U32();
  if (handler == FourCC("meta") || handler == FourCC("camm"))
    report.Add(FindingKind::kOther, "TimedMetadataTrack", TypeName(handler), "QuickTime");
}

Status InspectMovie(const ByteSource& source, const Box& box, int depth, BoxBudget& budget,
                    PrivacyReport& report) {
  return ForEachBox(source, box.payload_offset(), box.end(), depth + 1, budget,
                    [&](const Box& child) {
                      switch (child.type) {
                        case FourCC("trak"):
                        case FourCC("mdia"):
                        case FourCC("minf"):
                          return InspectMovie(source, child, depth + 1, budget, report);
                        case FourCC("mvhd"):
                          ReadHeaderDates(source, child, "", report);
                          break;
                        case FourCC("tkhd"):
                          ReadHeaderDates(source, child, "Track", report);
                          ReadTrackSize(source, child, report);
                          break;
                        case FourCC("mdhd"):
                          ReadHeaderDates(source, child, "Media", report);
                          break;
                        case FourCC("hdlr"):
                          if (box.type == FourCC("mdia")) ReadHandler(source, child, report);
                          break;
                        case FourCC("udta"):
                          ReadUserData(source, child, report);
                          break;
                        case FourCC("meta"):
                          ReadMovieMeta(source, child, report);
                          break;
                        case FourCC("uuid"):
                          InspectUuid(source, child, report);
                          break;
                        default:
                          break;
                      }
                      return Status::Ok();
                    });
}

// Boxes that hold pictures, sound or their structure, never anything about a person.
bool IsStructural(uint32_t type) {
  for (uint32_t t : {FourCC("ftyp"), FourCC("styp"), FourCC("mdat"), FourCC("moof"), FourCC("mfra"),
                     FourCC("sidx"), FourCC("ssix"), FourCC("prft"), FourCC("emsg"), FourCC("pdin"),
                     FourCC("free"), FourCC("skip"), FourCC("wide")})
    if (t == type) return true;
  return false;
}

Status InspectTopLevelBox(const ByteSource& source, const Box& box, BoxBudget& budget,
                          PrivacyReport& report) {
  switch (box.type) {
    case FourCC("moov"):
      return InspectMovie(source, box, 0, budget, report);
    case FourCC("meta"):
      if (TopLevelMetaHandler(source, box) == FourCC("pict"))
        return InspectHeifMeta(source, box, report);
      ReadMovieMeta(source, box, report);
      return Status::Ok();
    case FourCC("udta"):
      ReadUserData(source, box, report);
      return Status::Ok();
    case FourCC("uuid"):
      InspectUuid(source, box, report);
      return Status::Ok();
    case FourCC("mpvd"):  // Samsung's motion photo: a video after the picture
      report.Add(FindingKind::kAppendedData, "MotionPhotoVideo", ByteCount(box.size), "HEIF");
      return Status::Ok();
    case FourCC("pnot"):
    case FourCC("PICT"):
      report.Add(FindingKind::kPreview, "PreviewImage", ByteCount(box.size), "QuickTime");
      return Status::Ok();
    default:
      if (!IsStructural(box.type))
        report.Add(FindingKind::kOther, TypeName(box.type), ByteCount(box.size), "QuickTime");
      return Status::Ok();
  }
}

bool IsKnownTopLevel(uint32_t type) {
  for (uint32_t t :
       {FourCC("moov"), FourCC("meta"), FourCC("udta"), FourCC("uuid"), FourCC("jumb")})
    if (t == type) return true;
  return IsStructural(type);
}

// A motion photo's video, appended whole after the picture, starts with its own 'ftyp'.
bool StartsAnotherFile(const ByteSource& source, const ByteRange& range) {
  uint8_t head[8];
  return range.length >= 8 && source.ReadAt(range.offset, head).ok() &&
         Reader(head, 4).U32() == FourCC("ftyp");
}

// Zero bytes at the very end are padding some writers leave, not hidden data.
bool AllZero(const ByteSource& source, const ByteRange& range) {
  if (range.length > 65536) return false;
  auto bytes = source.Read(range.offset, range.length);
  return bytes.ok() && std::all_of(bytes->begin(), bytes->end(), [](uint8_t b) { return !b; });
}

}  // namespace

Status NotIsoMedia() {
  return Error(Code::kInvalidInput, "this file is not a HEIF, AVIF, MP4 or MOV file");
}

static bool IsIsoMedia(MediaFormat format) {
  return format == MediaFormat::kHeif || format == MediaFormat::kAvif ||
         format == MediaFormat::kMp4 || format == MediaFormat::kMov;
}

Result<MediaFormat> CheckFormat(const ByteSource& source) {
  uint8_t head[64] = {};
  uint64_t n = std::min<uint64_t>(sizeof head, source.size());
  REMPART_RETURN_IF_ERROR(source.ReadAt(0, std::span<uint8_t>(head, n)));
  MediaFormat format = SniffMediaFormat(std::span<const uint8_t>(head, n));
  if (!IsIsoMedia(format)) return NotIsoMedia();
  return format;
}

Result<TopLevel> WalkTopLevel(const ByteSource& source, BoxBudget& budget) {
  TopLevel top;
  uint64_t at = 0;
  const uint64_t size = source.size();
  while (size - at >= 8) {
    REMPART_RETURN_IF_ERROR(budget.Take());
    uint8_t head[8];
    REMPART_RETURN_IF_ERROR(source.ReadAt(at, head));
    const uint32_t type = Reader(head, 4).U32();
    // Not a box, or a second file (a motion photo's video): a trailer appended to the file.
    if (!IsPlausibleType(type) || (type == FourCC("ftyp") && at > 0)) break;
    auto box = ReadBox(source, at, size);
    if (!box.ok()) {
      if (top.boxes.empty()) return NotIsoMedia();
      // A box we know, cut short, is a truncated file; anything else is a trailer.
      if (IsKnownTopLevel(type))
        return Error(Code::kInvalidInput, "the file ends too early: it is truncated or damaged");
      break;
    }
    top.boxes.push_back(*box);
    at = box->end();
  }
  if (top.boxes.empty()) return NotIsoMedia();
  top.appended = {at, size - at};
  return top;
}

uint32_t TopLevelMetaHandler(const ByteSource& source, const Box& meta) {
  auto bytes = ReadWholeBox(source, meta, kMaxMetaBox);
  return bytes.ok() ? MetaHandler(*bytes) : 0;
}

}  // namespace bmff

Result<PrivacyReport> InspectIsoBmff(const ByteSource& input) {
  REMPART_ASSIGN_OR_RETURN(MediaFormat format, bmff::CheckFormat(input));
  bmff::BoxBudget budget;
  REMPART_ASSIGN_OR_RETURN(bmff::TopLevel top, bmff::WalkTopLevel(input, budget));
  PrivacyReport report;
  report.format = std::string(MediaFormatName(format));
  for (const bmff::Box& box : top.boxes)
    REMPART_RETURN_IF_ERROR(bmff::InspectTopLevelBox(input, box, budget, report));
  if (top.appended.length && !bmff::AllZero(input, top.appended))
    report.Add(FindingKind::kAppendedData,
               bmff::StartsAnotherFile(input, top.appended) ? "EmbeddedVideo" : "Trailer",
               bmff::ByteCount(top.appended.length), "file end");
  return report;
}

}  // namespace rempart
