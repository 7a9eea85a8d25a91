// JPEG: inspect and scrub (media_format.h).
//
// A JPEG is a run of marker segments (FF xx, a 2-byte length, a payload), then entropy-coded
// scan data that ends at the next marker that is neither a stuffed 00 nor a restart marker,
// and so on until EOI. Metadata lives in APPn and COM segments; everything after EOI is not
// part of the image (motion-photo videos, vendor trailers, the extra images of MPF files).
// The file is walked through ByteSource reads, so a large JPEG is never loaded whole, and the
// scrubber copies the scan data as input ranges: it stays byte-identical.
#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "media/media_format.h"
#include "media/metadata_blocks.h"
#include "media/metadata_internal.h"
#include "media/tiff_ifd.h"

namespace rempart {

namespace {

constexpr uint8_t kSoi = 0xD8, kEoi = 0xD9, kSos = 0xDA, kCom = 0xFE;
constexpr uint8_t kApp0 = 0xE0, kApp1 = 0xE1, kApp2 = 0xE2, kApp12 = 0xEC, kApp13 = 0xED,
                  kApp14 = 0xEE, kApp15 = 0xEF;
// A real JPEG has a few dozen segments; progressive ones a few more scans.
constexpr size_t kMaxSegments = 65536;
// Longest APPn prefix we compare against (the Extended XMP namespace).
constexpr size_t kSignatureBytes = 40;

struct Piece {
  enum class Kind { kSegment, kStandalone, kScanData };
  Kind kind = Kind::kSegment;
  uint8_t marker = 0;
  uint64_t offset = 0;  // of the FF before the marker, or of the first scan byte
  uint64_t size = 0;    // whole segment with marker and length, or scan bytes

  uint64_t payload_offset() const { return offset + 4; }
  uint64_t payload_size() const { return size - 4; }
};

struct JpegLayout {
  std::vector<Piece> pieces;    // between SOI and EOI, in file order
  std::optional<uint64_t> eoi;  // offset of EOI's FF when found
  bool damaged = false;         // a marker or length made no sense
  uint64_t damaged_at = 0;
};

Status NotAJpeg() {
  return Error(Code::kInvalidInput, "this file is not a JPEG image, or it is badly damaged");
}

bool IsStandalone(uint8_t m) { return (m >= 0xD0 && m <= 0xD7) || m == 0x01; }
bool IsApp(uint8_t m) { return m >= kApp0 && m <= kApp15; }
bool IsSof(uint8_t m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

Result<uint8_t> ByteAt(const ByteSource& in, uint64_t at) {
  uint8_t b;
  REMPART_RETURN_IF_ERROR(in.ReadAt(at, std::span<uint8_t>(&b, 1)));
  return b;
}

// After a SOS header: the offset of the FF that starts the next real marker, skipping stuffed
// bytes (FF 00), restart markers (FF D0..D7) and fill bytes; nullopt at the end of the file.
Result<std::optional<uint64_t>> FindScanEnd(const ByteSource& in, uint64_t from) {
  constexpr uint64_t kChunk = 64 * 1024;
  std::vector<uint8_t> buf;
  bool pending_ff = false;  // the previous chunk ended with FF
  for (uint64_t pos = from; pos < in.size();) {
    uint64_t n = std::min(kChunk, in.size() - pos);
    buf.resize(n);
    REMPART_RETURN_IF_ERROR(in.ReadAt(pos, buf));
    size_t i = 0;
    if (pending_ff) {
      uint8_t b = buf[0];
      pending_ff = false;
      if (b != 0 && b != 0xFF && !IsStandalone(b)) return std::optional<uint64_t>(pos - 1);
      if (b != 0xFF) i = 1;
    }
    while (i < n) {
      const void* hit = std::memchr(buf.data() + i, 0xFF, n - i);
      if (!hit) break;
      size_t j = static_cast<const uint8_t*>(hit) - buf.data();
      if (j + 1 == n) {
        pending_ff = true;
        break;
      }
      uint8_t b = buf[j + 1];
      if (b == 0 || IsStandalone(b)) {
        i = j + 2;
      } else if (b == 0xFF) {
        i = j + 1;  // fill byte: the marker's FF is a later one
      } else {
        return std::optional<uint64_t>(pos + j);
      }
    }
    pos += n;
  }
  return std::optional<uint64_t>();
}

// Walks the markers from SOI to EOI. Damage after SOI is recorded in the layout, not returned,
// so that inspection can still report what came before it.
Result<JpegLayout> WalkJpeg(const ByteSource& in) {
  uint8_t soi[2];
  if (in.size() < 4 || !in.ReadAt(0, soi).ok() || soi[0] != 0xFF || soi[1] != kSoi)
    return NotAJpeg();
  JpegLayout layout;
  auto damage = [&](uint64_t at) {
    layout.damaged = true;
    layout.damaged_at = at;
    return layout;
  };
  uint64_t pos = 2;
  while (pos < in.size()) {
    if (layout.pieces.size() >= kMaxSegments) return damage(pos);
    REMPART_ASSIGN_OR_RETURN(uint8_t ff, ByteAt(in, pos));
    if (ff != 0xFF) return damage(pos);
    // Any number of FF fill bytes may precede a marker.
    uint64_t marker_at = pos + 1;
    uint8_t marker = 0xFF;
    while (marker == 0xFF) {
      if (marker_at >= in.size()) return damage(pos);
      REMPART_ASSIGN_OR_RETURN(marker, ByteAt(in, marker_at));
      if (marker == 0xFF) ++marker_at;
    }
    uint64_t offset = marker_at - 1;
    if (marker == kEoi) {
      layout.eoi = offset;
      return layout;
    }
    if (IsStandalone(marker)) {
      layout.pieces.push_back({Piece::Kind::kStandalone, marker, offset, 2});
      pos = offset + 2;
      continue;
    }
    if (marker == 0x00 || marker == kSoi) return damage(offset);
    uint8_t length_bytes[2];
    if (!in.ReadAt(offset + 2, length_bytes).ok()) return damage(offset);
    uint64_t length = uint64_t(length_bytes[0]) << 8 | length_bytes[1];
    if (length < 2 || offset + 2 + length > in.size()) return damage(offset);
    layout.pieces.push_back({Piece::Kind::kSegment, marker, offset, 2 + length});
    pos = offset + 2 + length;
    if (marker == kSos) {
      REMPART_ASSIGN_OR_RETURN(std::optional<uint64_t> end, FindScanEnd(in, pos));
      uint64_t scan_end = end.value_or(in.size());
      layout.pieces.push_back({Piece::Kind::kScanData, 0, pos, scan_end - pos});
      if (!end) return damage(in.size());  // no EOI: the file is cut short
      pos = scan_end;
    }
  }
  return damage(pos);
}

// The first bytes of a segment's payload, to recognise what it holds.
std::string Signature(const ByteSource& in, const Piece& p) {
  uint64_t n = std::min<uint64_t>(kSignatureBytes, p.payload_size());
  std::string out(n, '\0');
  if (!in.ReadAt(p.payload_offset(),
                 std::span<uint8_t>(reinterpret_cast<uint8_t*>(out.data()), out.size()))
           .ok())
    return {};
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }

const std::string_view kExifSig("Exif\0", 5);
const std::string_view kXmpSig("http://ns.adobe.com/xap/1.0/\0", 29);
const std::string_view kXmpExtSig("http://ns.adobe.com/xmp/extension/\0", 35);
const std::string_view kIccSig("ICC_PROFILE\0", 12);
const std::string_view kMpfSig("MPF\0", 4);
const std::string_view kJfifSig("JFIF\0", 5);
const std::string_view kJfxxSig("JFXX\0", 5);
const std::string_view kPhotoshopSig("Photoshop 3.0\0", 14);
const std::string_view kAdobeSig("Adobe");

bool IsJfif(const ByteSource& in, const Piece& p) {
  return p.marker == kApp0 && StartsWith(Signature(in, p), kJfifSig);
}
bool IsIcc(const ByteSource& in, const Piece& p) {
  return p.marker == kApp2 && StartsWith(Signature(in, p), kIccSig);
}
bool IsAdobe(const ByteSource& in, const Piece& p) {
  return p.marker == kApp14 && StartsWith(Signature(in, p), kAdobeSig);
}
bool IsExif(const ByteSource& in, const Piece& p) {
  return p.marker == kApp1 && StartsWith(Signature(in, p), kExifSig) && p.payload_size() >= 6;
}

// A byte range of the input that extra images (MPF) occupy, to tell them from other trailers.
struct Range {
  uint64_t offset, size;
};

class JpegInspector {
 public:
  JpegInspector(const ByteSource& in, PrivacyReport& report) : in_(in), report_(report) {}

  Status Run() {
    report_.format = "jpeg";
    REMPART_ASSIGN_OR_RETURN(JpegLayout layout, WalkJpeg(in_));
    if (layout.damaged && layout.pieces.empty()) return NotAJpeg();
    for (const Piece& p : layout.pieces) {
      if (p.kind == Piece::Kind::kSegment) Segment(p);
    }
    if (!photoshop_.empty()) metadata::ReadPhotoshopResources(photoshop_, report_);
    if (extended_xmp_bytes_ > 0) {
      Add(FindingKind::kOther, "ExtendedXMP", metadata::ByteCount(extended_xmp_bytes_));
    }
    if (layout.damaged && !layout.eoi) {
      // A cut inside the scan data hides nothing we could miss; a cut before it might.
      bool in_header = std::none_of(layout.pieces.begin(), layout.pieces.end(),
                                    [](auto& p) { return p.kind == Piece::Kind::kScanData; });
      if (in_header) {
        Add(FindingKind::kOther, "JPEG", fmt::format("damaged after {} bytes", layout.damaged_at));
      }
    }
    if (layout.eoi) Trailer(*layout.eoi + 2);
    return Status::Ok();
  }

 private:
  void Add(FindingKind kind, std::string field, std::string value) {
    report_.Add(kind, std::move(field), std::move(value), "JPEG");
  }

  Result<std::vector<uint8_t>> Payload(const Piece& p) {
    return in_.Read(p.payload_offset(), p.payload_size());
  }

  void Segment(const Piece& p) {
    if (IsSof(p.marker)) return Frame(p);
    if (p.marker == kCom) return Comment(p);
    if (!IsApp(p.marker)) return;
    std::string sig = Signature(in_, p);
    std::string app = fmt::format("APP{}", p.marker - kApp0);
    switch (p.marker) {
      case kApp0:
        if (StartsWith(sig, kJfifSig)) return Jfif(sig);
        if (StartsWith(sig, kJfxxSig))
          return Add(FindingKind::kPreview, "ThumbnailImage",
                     metadata::ByteCount(p.payload_size()));
        break;
      case kApp1:
        if (StartsWith(sig, kExifSig)) return Exif(p);
        if (StartsWith(sig, kXmpSig)) return Xmp(p, kXmpSig.size());
        if (StartsWith(sig, kXmpExtSig)) return ExtendedXmp(p);
        break;
      case kApp2:
        if (StartsWith(sig, kIccSig)) {
          report_.has_icc_profile = true;
          return;
        }
        if (StartsWith(sig, kMpfSig)) return Mpf(p);
        if (StartsWith(sig, std::string_view("FPXR\0", 5)))
          return Add(FindingKind::kOther, "FPXR", metadata::ByteCount(p.payload_size()));
        break;
      case kApp12:
        if (StartsWith(sig, "Ducky"))
          return Add(FindingKind::kOther, "Ducky", metadata::ByteCount(p.payload_size()));
        if (StartsWith(sig, "[picture info]") || StartsWith(sig, "PictureInfo"))
          return Add(FindingKind::kOther, "PictureInfo", metadata::ByteCount(p.payload_size()));
        break;
      case kApp13:
        if (StartsWith(sig, kPhotoshopSig)) return Photoshop(p);
        break;
      case kApp14:
        if (StartsWith(sig, kAdobeSig)) return;  // colour transform flags: kept, harmless
        break;
      default:
        break;
    }
    Add(FindingKind::kOther, app, metadata::ByteCount(p.payload_size()));
  }

  void Frame(const Piece& p) {
    if (report_.width != 0 || p.payload_size() < 5) return;
    uint8_t b[5];
    if (!in_.ReadAt(p.payload_offset(), b).ok()) return;
    report_.height = b[1] << 8 | b[2];
    report_.width = b[3] << 8 | b[4];
  }

  void Comment(const Piece& p) {
    auto bytes = in_.Read(p.payload_offset(), std::min<uint64_t>(p.payload_size(), 4096));
    if (!bytes.ok()) return;
    std::string text = metadata::CleanText(
        std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
    if (!text.empty()) Add(FindingKind::kText, "Comment", text);
  }

  // JFIF may carry an uncompressed RGB thumbnail after its 14 header bytes.
  void Jfif(const std::string& sig) {
    if (sig.size() < 14) return;
    int w = static_cast<uint8_t>(sig[12]), h = static_cast<uint8_t>(sig[13]);
    if (w > 0 && h > 0) Add(FindingKind::kPreview, "ThumbnailImage", fmt::format("{}x{}", w, h));
  }

  void Exif(const Piece& p) {
    auto bytes = Payload(p);
    if (!bytes.ok()) return;
    ReadExif(std::span<const uint8_t>(*bytes).subspan(6), report_);
  }

  void Xmp(const Piece& p, size_t skip) {
    auto bytes = Payload(p);
    if (!bytes.ok() || bytes->size() < skip) return;
    ReadXmp(std::span<const uint8_t>(*bytes).subspan(skip), report_);
  }

  // Extended XMP: a 32-byte GUID, the full length, this chunk's offset, the chunk.
  void ExtendedXmp(const Piece& p) {
    extended_xmp_bytes_ +=
        p.payload_size() > kXmpExtSig.size() + 40 ? p.payload_size() - kXmpExtSig.size() - 40 : 0;
  }

  void Photoshop(const Piece& p) {
    auto bytes = Payload(p);
    if (!bytes.ok()) return;
    // Large resource blocks are split across several APP13 segments: join them.
    photoshop_.insert(photoshop_.end(), bytes->begin() + kPhotoshopSig.size(), bytes->end());
  }

  // Multi-Picture Format: a TIFF structure whose MPEntry list locates extra images (previews,
  // the other half of a stereo pair, depth maps), stored after the primary image's EOI.
  void Mpf(const Piece& p) {
    auto bytes = Payload(p);
    if (!bytes.ok()) return;
    std::span<const uint8_t> tiff_bytes = std::span<const uint8_t>(*bytes).subspan(4);
    uint64_t mp_base = p.payload_offset() + 4;  // MPEntry offsets count from here
    MemorySource source(tiff_bytes);
    auto reader = tiff::TiffReader::Open(source);
    if (!reader.ok()) return Add(FindingKind::kOther, "MPF", "damaged");
    auto ifd = reader->ReadIfd(reader->first_ifd());
    if (!ifd.ok()) return Add(FindingKind::kOther, "MPF", "damaged");
    const tiff::Entry* entries = ifd->Find(0xB002);
    if (!entries) return;
    auto raw = reader->ReadRaw(*entries, 16 * 1024);
    if (!raw.ok()) return;
    for (size_t i = 1; (i + 1) * 16 <= raw->size(); ++i) {
      const uint8_t* e = raw->data() + i * 16;
      uint64_t size = reader->U32(e + 4);
      uint64_t offset = reader->U32(e + 8);
      if (size == 0) continue;
      Add(FindingKind::kPreview, fmt::format("MPImage{}", i + 1), metadata::ByteCount(size));
      if (offset != 0) mp_images_.push_back({mp_base + offset, size});
    }
  }

  // Bytes after EOI that are not MPF images: motion-photo videos, vendor trailers.
  void Trailer(uint64_t start) {
    if (start >= in_.size()) return;
    std::vector<Range> covered;
    for (const Range& r : mp_images_) {
      uint64_t begin = std::max(r.offset, start);
      uint64_t end = r.offset + std::min(r.size, in_.size() - std::min(r.offset, in_.size()));
      if (r.offset < in_.size() && end > begin) covered.push_back({begin, end - begin});
    }
    std::sort(covered.begin(), covered.end(),
              [](const Range& a, const Range& b) { return a.offset < b.offset; });
    uint64_t uncovered = 0, first_gap = in_.size(), at = start;
    for (const Range& r : covered) {
      if (r.offset > at) {
        uncovered += r.offset - at;
        first_gap = std::min(first_gap, at);
      }
      at = std::max(at, r.offset + r.size);
    }
    if (in_.size() > at) {
      uncovered += in_.size() - at;
      first_gap = std::min(first_gap, at);
    }
    if (uncovered == 0 || IsZeroPadding(first_gap, uncovered)) return;
    Add(FindingKind::kAppendedData, TrailerName(first_gap), metadata::ByteCount(uncovered));
  }

  // Some cameras pad files with zeros after EOI: that reveals nothing.
  bool IsZeroPadding(uint64_t offset, uint64_t size) {
    if (size > 64 * 1024 || offset + size != in_.size()) return false;
    auto bytes = in_.Read(offset, size);
    return bytes.ok() && std::all_of(bytes->begin(), bytes->end(), [](uint8_t b) { return !b; });
  }

  std::string TrailerName(uint64_t offset) {
    uint8_t head[12] = {};
    uint64_t n = std::min<uint64_t>(sizeof head, in_.size() - offset);
    (void)in_.ReadAt(offset, std::span<uint8_t>(head, n));
    if (n >= 8 && std::memcmp(head + 4, "ftyp", 4) == 0) return "EmbeddedVideo";
    if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return "EmbeddedImage";
    uint8_t tail[4] = {};
    if (in_.size() >= 4 && in_.ReadAt(in_.size() - 4, tail).ok() &&
        std::memcmp(tail, "SEFT", 4) == 0)
      return "SamsungTrailer";
    return "TrailerData";
  }

  const ByteSource& in_;
  PrivacyReport& report_;
  std::vector<uint8_t> photoshop_;
  uint64_t extended_xmp_bytes_ = 0;
  std::vector<Range> mp_images_;
};

// The first EXIF segment, if any.
const Piece* FindExif(const ByteSource& in, const JpegLayout& layout) {
  for (const Piece& p : layout.pieces)
    if (p.kind == Piece::Kind::kSegment && IsExif(in, p)) return &p;
  return nullptr;
}

// The orientation an EXIF segment asks for (1 when there is none or it is unreadable).
int ExifOrientation(const ByteSource& in, const Piece* exif) {
  if (!exif) return 1;
  auto bytes = in.Read(exif->payload_offset(), exif->payload_size());
  if (!bytes.ok()) return 1;
  PrivacyReport scratch;
  ReadExif(std::span<const uint8_t>(*bytes).subspan(6), scratch);
  return scratch.orientation;
}

// True when the segment is already exactly what the scrubber would write.
bool IsSegment(const ByteSource& in, const Piece& p, const std::string& bytes) {
  if (p.size != bytes.size()) return false;
  auto found = in.Read(p.offset, p.size);
  return found.ok() && std::equal(found->begin(), found->end(), bytes.begin(),
                                  [](uint8_t a, char b) { return a == uint8_t(b); });
}

std::string Be16(uint64_t v) { return std::string{char(v >> 8), char(v & 0xFF)}; }

std::string OrientationSegment(int orientation) {
  std::string payload = std::string("Exif\0\0", 6) + BuildOrientationExif(orientation);
  return "\xFF\xE1" + Be16(payload.size() + 2) + payload;
}

// JFIF with its thumbnail dimensions set to 0 (the thumbnail pixels dropped).
Result<std::string> JfifWithoutThumbnail(const ByteSource& in, const Piece& p) {
  if (p.payload_size() < 14) return std::string();
  REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> head, in.Read(p.payload_offset(), 14));
  head[12] = head[13] = 0;
  return "\xFF\xE0" + Be16(16) + std::string(head.begin(), head.end());
}

}  // namespace

Result<PrivacyReport> InspectJpeg(const ByteSource& input) {
  PrivacyReport report;
  REMPART_RETURN_IF_ERROR(JpegInspector(input, report).Run());
  return report;
}

Result<EditPlan> PlanJpegScrub(const ByteSource& input, const ScrubOptions& options) {
  REMPART_ASSIGN_OR_RETURN(JpegLayout layout, WalkJpeg(input));
  if (layout.damaged || !layout.eoi) {
    return Error(Code::kInvalidInput,
                 "this JPEG is damaged or incomplete, so it cannot be cleaned safely: open it in "
                 "a photo editor, save a new copy, and clean that");
  }
  EditPlan plan;
  plan.Copy(0, 2);  // SOI
  // JFIF must come first; its optional thumbnail is dropped.
  const Piece* jfif = nullptr;
  for (const Piece& p : layout.pieces) {
    if (p.kind == Piece::Kind::kSegment && IsJfif(input, p)) {
      jfif = &p;
      break;
    }
  }
  if (jfif) {
    std::string sig = Signature(input, *jfif);
    bool bare = jfif->payload_size() == 14 && sig.size() >= 14 && sig[12] == 0 && sig[13] == 0;
    if (bare) {
      plan.Copy(jfif->offset, jfif->size);
    } else {
      REMPART_ASSIGN_OR_RETURN(std::string rewritten, JfifWithoutThumbnail(input, *jfif));
      plan.Insert(std::move(rewritten));
    }
  }
  const Piece* exif = FindExif(input, layout);
  int orientation = ExifOrientation(input, exif);
  if (orientation != 1) {
    // Copying our own segment rather than writing it again makes a second scrub a no-op.
    std::string segment = OrientationSegment(orientation);
    if (IsSegment(input, *exif, segment)) {
      plan.Copy(exif->offset, exif->size);
    } else {
      plan.Insert(std::move(segment));
    }
  }
  for (const Piece& p : layout.pieces) {
    if (&p == jfif) continue;
    if (p.kind == Piece::Kind::kSegment && (IsApp(p.marker) || p.marker == kCom)) {
      // Only what decoding needs survives: the colour profile and Adobe's colour transform.
      bool keep = IsAdobe(input, p) || (!options.strip_icc && IsIcc(input, p));
      if (!keep) continue;
    }
    plan.Copy(p.offset, p.size);
  }
  plan.Copy(*layout.eoi, 2);  // EOI; whatever follows it is dropped
  return plan;
}

}  // namespace rempart
