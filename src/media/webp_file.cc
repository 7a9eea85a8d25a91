// WebP: a RIFF container ("RIFF", little-endian size, "WEBP") of chunks (fourcc, little-endian
// size, data, a pad byte when the size is odd).
//
// A simple file holds one bitstream chunk ("VP8 " lossy or "VP8L" lossless). An extended file
// starts with "VP8X" (canvas size and flags saying which optional chunks follow), then ICCP,
// ANIM and ANMF frames or ALPH + bitstream, then EXIF and XMP at the end. The scrubber copies
// the bitstream chunks byte for byte, drops EXIF, XMP and anything unknown, and rewrites the
// VP8X flags and the RIFF size to match.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "media/media_format.h"
#include "media/metadata_blocks.h"
#include "media/metadata_internal.h"

namespace rempart {
namespace {

constexpr uint64_t kRiffHeaderSize = 12;          // "RIFF", size, "WEBP"
constexpr uint64_t kChunkHeaderSize = 8;          // fourcc, size
constexpr uint64_t kMaxMetadataChunk = 16 << 20;  // larger EXIF or XMP chunks are not read
constexpr uint64_t kAnmfHeaderSize = 16;          // position, size, duration, flags
constexpr size_t kMaxFindings = 10000;
constexpr std::string_view kExifPrefix{"Exif\0\0", 6};

// VP8X flags (first byte of its data).
constexpr uint8_t kFlagIcc = 0x20;
constexpr uint8_t kFlagAlpha = 0x10;
constexpr uint8_t kFlagExif = 0x08;
constexpr uint8_t kFlagAnimation = 0x02;

struct RiffChunk {
  uint64_t offset = 0;  // of the fourcc
  uint32_t size = 0;    // of the data, without padding
  std::string fourcc;
  uint64_t end = 0;  // past the data and its pad byte (when there is room for it)
  uint64_t data_offset() const { return offset + kChunkHeaderSize; }
  bool is_bitstream() const { return fourcc == "VP8 " || fourcc == "VP8L"; }
};

uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint32_t Le24(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16;
}

std::string Le32String(uint32_t v) {
  return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
          static_cast<char>(v >> 24)};
}

std::string_view AsText(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

Status Truncated() {
  return Error(Code::kInvalidInput, "the file ends too early: it is truncated or damaged");
}

Status Damaged() {
  return Error(Code::kInvalidInput,
               "the WebP image is damaged: save it again from an image editor and retry");
}

// ---- Walking the chunks ----

using ChunkVisitor = std::function<Status(const RiffChunk&)>;

// The chunk at `pos`, which must fit before `end`. A missing pad byte after the last chunk is
// tolerated (some writers omit it).
Result<RiffChunk> ReadChunk(const ByteSource& input, uint64_t pos, uint64_t end) {
  if (pos > end || end - pos < kChunkHeaderSize) return Truncated();
  std::array<uint8_t, kChunkHeaderSize> head{};
  REMPART_RETURN_IF_ERROR(input.ReadAt(pos, head));
  RiffChunk chunk;
  chunk.offset = pos;
  chunk.fourcc.assign(head.begin(), head.begin() + 4);
  chunk.size = Le32(head.data() + 4);
  const uint64_t data_end = chunk.data_offset() + chunk.size;
  if (data_end > end) return Truncated();
  chunk.end = std::min(end, data_end + (chunk.size & 1));
  return chunk;
}

// Calls `visit` for each chunk in [begin, end) of the input.
Status WalkChunks(const ByteSource& input, uint64_t begin, uint64_t end,
                  const ChunkVisitor& visit) {
  for (uint64_t pos = begin; pos < end;) {
    REMPART_ASSIGN_OR_RETURN(RiffChunk chunk, ReadChunk(input, pos, end));
    REMPART_RETURN_IF_ERROR(visit(chunk));
    pos = chunk.end;
  }
  return Status::Ok();
}

// The end of the RIFF container, checked against the file.
Result<uint64_t> ReadRiffEnd(const ByteSource& input) {
  std::array<uint8_t, kRiffHeaderSize> head{};
  if (input.size() < head.size() || !input.ReadAt(0, head).ok() ||
      AsText(std::span(head).first(4)) != "RIFF" || AsText(std::span(head).subspan(8)) != "WEBP") {
    return Error(Code::kInvalidInput, "this file is not a WebP image");
  }
  const uint64_t riff_end = 8 + uint64_t{Le32(head.data() + 4)};
  if (riff_end > input.size()) return Truncated();
  if (riff_end < kRiffHeaderSize + kChunkHeaderSize) return Damaged();
  return riff_end;
}

// The first chunk decides between a simple and an extended file.
Result<RiffChunk> ReadFirstChunk(const ByteSource& input, uint64_t riff_end) {
  REMPART_ASSIGN_OR_RETURN(RiffChunk first, ReadChunk(input, kRiffHeaderSize, riff_end));
  if (first.fourcc != "VP8X" && !first.is_bitstream()) return Damaged();
  if (first.fourcc == "VP8X" && first.size < 10) return Damaged();
  return first;
}

// ---- Picture size, from VP8X or from the bitstream header ----

struct Size {
  int width = 0;
  int height = 0;
};

Result<Size> ReadSize(const ByteSource& input, const RiffChunk& first) {
  std::array<uint8_t, 10> head{};
  if (first.size < head.size()) return Size{};  // too short to say; the decoder will complain
  REMPART_RETURN_IF_ERROR(input.ReadAt(first.data_offset(), head));
  if (first.fourcc == "VP8X") {
    return Size{static_cast<int>(Le24(&head[4]) + 1), static_cast<int>(Le24(&head[7]) + 1)};
  }
  if (first.fourcc == "VP8L") {
    if (head[0] != 0x2F) return Size{};
    const uint32_t bits = Le32(&head[1]);
    return Size{static_cast<int>((bits & 0x3FFF) + 1), static_cast<int>((bits >> 14 & 0x3FFF) + 1)};
  }
  // "VP8 ": frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
  if (head[3] != 0x9D || head[4] != 0x01 || head[5] != 0x2A) return Size{};
  return Size{static_cast<int>((head[6] | head[7] << 8) & 0x3FFF),
              static_cast<int>((head[8] | head[9] << 8) & 0x3FFF)};
}

// Inside an ANMF frame, after its 16-byte header: ALPH, a bitstream, maybe unknown chunks.
bool IsFrameChunk(const RiffChunk& chunk) { return chunk.fourcc == "ALPH" || chunk.is_bitstream(); }

Status WalkFrame(const ByteSource& input, const RiffChunk& anmf, const ChunkVisitor& visit) {
  if (anmf.size < kAnmfHeaderSize) {
    return Damaged();
  }
  return WalkChunks(input, anmf.data_offset() + kAnmfHeaderSize, anmf.data_offset() + anmf.size,
                    visit);
}

// A chunk name made of whatever four bytes the file holds, safe to print.
std::string FourccField(const std::string& fourcc) {
  std::string field = metadata::CleanText(fourcc);
  while (!field.empty() && field.back() == ' ') field.pop_back();
  return field.empty() ? "Chunk" : field;
}

void MergeFindings(PrivacyReport& from, PrivacyReport& into) {
  for (auto& finding : from.findings) into.findings.push_back(std::move(finding));
  if (!into.location) into.location = from.location;
}

// EXIF in WebP is a bare TIFF block, but some writers keep JPEG's "Exif\0\0" in front.
PrivacyReport ReadExifChunk(std::span<const uint8_t> data) {
  if (AsText(data).starts_with(kExifPrefix)) data = data.subspan(kExifPrefix.size());
  PrivacyReport scratch;
  ReadExif(data, scratch);
  return scratch;
}

// ---- Inspection ----

class WebpInspector {
 public:
  WebpInspector(const ByteSource& input, PrivacyReport& report, bool extended)
      : input_(input), report_(report), extended_(extended) {}

  // Reports what the scrubber removes: metadata, and whatever a decoder does not read.
  Status Visit(const RiffChunk& chunk) {
    const std::string& f = chunk.fourcc;
    if (chunk.offset == kRiffHeaderSize) return Status::Ok();  // VP8X or the bitstream
    if (f == "EXIF" || f == "XMP ") return ReadMetadata(chunk);
    // A simple file is only its bitstream; a second VP8X is not read either.
    if (!extended_ || f == "VP8X") {
      AddUnknown(chunk, "WebP");
      return Status::Ok();
    }
    if (f == "ANIM" || IsFrameChunk(chunk)) return Status::Ok();
    if (f == "ICCP") {
      report_.has_icc_profile = true;
      return Status::Ok();
    }
    if (f == "ANMF") {
      return WalkFrame(input_, chunk, [&](const RiffChunk& inner) {
        if (!IsFrameChunk(inner)) AddUnknown(inner, "WebP frame");
        return Status::Ok();
      });
    }
    AddUnknown(chunk, "WebP");
    return Status::Ok();
  }

 private:
  Status ReadMetadata(const RiffChunk& chunk) {
    if (report_.findings.size() >= kMaxFindings) return Status::Ok();
    if (chunk.size > kMaxMetadataChunk) {
      AddUnknown(chunk, "WebP");
      return Status::Ok();
    }
    REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> data,
                             input_.Read(chunk.data_offset(), chunk.size, kMaxMetadataChunk));
    PrivacyReport scratch;
    if (chunk.fourcc == "EXIF") {
      scratch = ReadExifChunk(data);
      // Viewers rotate by the first EXIF of an extended file only.
      if (extended_ && !seen_exif_) report_.orientation = scratch.orientation;
      seen_exif_ = true;
    } else {
      ReadXmp(data, scratch);
    }
    MergeFindings(scratch, report_);
    return Status::Ok();
  }

  void AddUnknown(const RiffChunk& chunk, const char* where) {
    if (report_.findings.size() < kMaxFindings)
      report_.Add(FindingKind::kOther, FourccField(chunk.fourcc), metadata::ByteCount(chunk.size),
                  where);
  }

  const ByteSource& input_;
  PrivacyReport& report_;
  const bool extended_;
  bool seen_exif_ = false;
};

// ---- Scrubbing ----

class WebpScrubber {
 public:
  WebpScrubber(const ByteSource& input, const ScrubOptions& options, bool extended)
      : input_(input), options_(options), extended_(extended) {}

  Status Visit(const RiffChunk& chunk) {
    const std::string& f = chunk.fourcc;
    if (!extended_) {
      // A simple file has nothing a decoder reads besides its bitstream, which comes first.
      if (chunk.offset == kRiffHeaderSize) Keep(chunk);
      return Status::Ok();
    }
    if (f == "VP8X") {
      if (chunk.offset == kRiffHeaderSize) return ReadFlags(chunk);
    } else if (f == "ANIM" || IsFrameChunk(chunk)) {
      has_picture_ |= chunk.is_bitstream();
      Keep(chunk);
    } else if (f == "ANMF") {
      has_picture_ = true;
      return KeepFrame(chunk);
    } else if (f == "ICCP" && !options_.strip_icc) {
      Keep(chunk);
      flags_ |= kFlagIcc;
    } else if (f == "EXIF" && !seen_exif_) {
      return ReadOrientation(chunk);
    }
    return Status::Ok();
  }

  Result<EditPlan> Finish() {
    if (!has_picture_ && extended_) {
      return Damaged();
    }
    EditPlan plan;
    if (extended_) {
      if (orientation_ != 1) {
        KeepOrWrite(Chunk("EXIF", BuildOrientationExif(orientation_)));
        flags_ |= kFlagExif;
      }
      const uint64_t size = 4 + kChunkHeaderSize + 10 + body_.output_size();
      if (size > UINT32_MAX) return Damaged();
      EmitHeader(RiffHeader(size) + Chunk("VP8X", VP8XData()), plan);
    } else {
      const uint64_t size = 4 + body_.output_size();
      if (size > UINT32_MAX) return Damaged();
      EmitHeader(RiffHeader(size), plan);
    }
    for (const auto& piece : body_.pieces()) {
      if (piece.literal.empty()) {
        plan.Copy(piece.offset, piece.length);
      } else {
        plan.Insert(piece.literal);
      }
    }
    return plan;
  }

 private:
  static std::string Chunk(std::string_view fourcc, const std::string& data) {
    std::string out = std::string(fourcc) + Le32String(static_cast<uint32_t>(data.size())) + data;
    if (data.size() & 1) out += '\0';
    return out;
  }

  static std::string RiffHeader(uint64_t size) {
    return "RIFF" + Le32String(static_cast<uint32_t>(size)) + "WEBP";
  }

  // Bytes that did not change are copied rather than written, so that a file with nothing to
  // clean gives a plan that is a plain copy.
  void EmitHeader(const std::string& header, EditPlan& plan) const {
    std::string original(header.size(), '\0');
    std::span<uint8_t> span(reinterpret_cast<uint8_t*>(original.data()), original.size());
    if (input_.ReadAt(0, span).ok() && original == header) {
      plan.Copy(0, header.size());
    } else {
      plan.Insert(header);
    }
  }

  // Appends a new chunk, copied when the input already holds exactly these bytes right after
  // the last piece kept (a file cleaned before), so that cleaning a clean file gives a copy.
  void KeepOrWrite(const std::string& chunk) {
    const auto& pieces = body_.pieces();
    if (!pieces.empty() && pieces.back().literal.empty()) {
      const uint64_t at = pieces.back().offset + pieces.back().length;
      std::string here(chunk.size(), '\0');
      std::span<uint8_t> span(reinterpret_cast<uint8_t*>(here.data()), here.size());
      if (input_.ReadAt(at, span).ok() && here == chunk) {
        body_.Copy(at, chunk.size());
        return;
      }
    }
    body_.Insert(chunk);
  }

  // Copies a chunk as it is, adding the pad byte when the input left it out.
  void Keep(const RiffChunk& chunk) {
    body_.Copy(chunk.offset, chunk.end - chunk.offset);
    if ((chunk.end - chunk.offset) & 1) body_.Insert(std::string(1, '\0'));
  }

  Status ReadFlags(const RiffChunk& chunk) {
    REMPART_RETURN_IF_ERROR(input_.ReadAt(chunk.data_offset(), vp8x_));
    // Alpha and animation describe the picture; ICC and EXIF are set again from what is kept;
    // XMP and the reserved bits go.
    flags_ = vp8x_[0] & (kFlagAlpha | kFlagAnimation);
    return Status::Ok();
  }

  std::string VP8XData() const {
    std::string data(vp8x_.begin(), vp8x_.end());
    data[0] = static_cast<char>(flags_);
    data[1] = data[2] = data[3] = '\0';  // reserved
    return data;
  }

  // An animation frame is kept whole unless it carries unknown chunks; then it is rebuilt from
  // its header and its picture chunks, with a new size.
  Status KeepFrame(const RiffChunk& anmf) {
    std::vector<RiffChunk> kept;
    bool all_known = true;
    REMPART_RETURN_IF_ERROR(WalkFrame(input_, anmf, [&](const RiffChunk& inner) {
      if (IsFrameChunk(inner)) {
        kept.push_back(inner);
      } else {
        all_known = false;
      }
      return Status::Ok();
    }));
    if (all_known) {
      Keep(anmf);
      return Status::Ok();
    }
    uint64_t size = kAnmfHeaderSize;
    for (const auto& inner : kept) size += (inner.end - inner.offset + 1) & ~uint64_t{1};
    body_.Insert("ANMF" + Le32String(static_cast<uint32_t>(size)));
    body_.Copy(anmf.data_offset(), kAnmfHeaderSize);
    for (const auto& inner : kept) Keep(inner);
    return Status::Ok();
  }

  Status ReadOrientation(const RiffChunk& chunk) {
    seen_exif_ = true;
    if (chunk.size > kMaxMetadataChunk) return Status::Ok();
    REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> data,
                             input_.Read(chunk.data_offset(), chunk.size, kMaxMetadataChunk));
    const int orientation = ReadExifChunk(data).orientation;
    if (orientation >= 1 && orientation <= 8) orientation_ = orientation;
    return Status::Ok();
  }

  const ByteSource& input_;
  const ScrubOptions& options_;
  const bool extended_;
  EditPlan body_;  // everything after VP8X; the RIFF size is known once it is complete
  std::array<uint8_t, 10> vp8x_{};
  uint8_t flags_ = 0;
  int orientation_ = 1;
  bool seen_exif_ = false;
  bool has_picture_ = false;
};

}  // namespace

Result<PrivacyReport> InspectWebp(const ByteSource& input) {
  REMPART_ASSIGN_OR_RETURN(uint64_t riff_end, ReadRiffEnd(input));
  REMPART_ASSIGN_OR_RETURN(RiffChunk first, ReadFirstChunk(input, riff_end));
  REMPART_ASSIGN_OR_RETURN(Size size, ReadSize(input, first));
  PrivacyReport report;
  report.format = "webp";
  report.width = size.width;
  report.height = size.height;
  WebpInspector inspector(input, report, first.fourcc == "VP8X");
  REMPART_RETURN_IF_ERROR(WalkChunks(input, kRiffHeaderSize, riff_end,
                                     [&](const RiffChunk& c) { return inspector.Visit(c); }));
  if (riff_end < input.size()) {
    report.Add(FindingKind::kAppendedData, "AppendedData",
               metadata::ByteCount(input.size() - riff_end), "WebP");
  }
  return report;
}

Result<EditPlan> PlanWebpScrub(const ByteSource& input, const ScrubOptions& options) {
  REMPART_ASSIGN_OR_RETURN(uint64_t riff_end, ReadRiffEnd(input));
  REMPART_ASSIGN_OR_RETURN(RiffChunk first, ReadFirstChunk(input, riff_end));
  WebpScrubber scrubber(input, options, first.fourcc == "VP8X");
  REMPART_RETURN_IF_ERROR(WalkChunks(input, kRiffHeaderSize, riff_end,
                                     [&](const RiffChunk& c) { return scrubber.Visit(c); }));
  return scrubber.Finish();
}

}  // namespace rempart
