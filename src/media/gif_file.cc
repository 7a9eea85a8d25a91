// GIF: a header ("GIF87a" or "GIF89a"), the logical screen descriptor and its optional global
// colour table, then blocks until the 0x3B trailer: images (0x2C: descriptor, local colour
// table, LZW data in sub-blocks) and extensions (0x21, a label, sub-blocks). Sub-blocks are a
// length byte then that many bytes; a zero length ends the chain.
//
// The picture is the header, the colour tables, the images and the graphic control extensions
// (delays, transparency, disposal), and the loop count of an animation. Comments, plain text,
// XMP and other applications' data are metadata: the scrubber drops them and copies the rest
// byte for byte.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "media/media_format.h"
#include "media/metadata_blocks.h"
#include "media/metadata_internal.h"

namespace rempart {
namespace {

constexpr uint64_t kHeaderSize = 13;              // signature (6) + logical screen descriptor (7)
constexpr uint64_t kMaxMetadataBlock = 16 << 20;  // larger XMP blocks are not read
constexpr size_t kMaxCollected = 4 * 1024;        // of an extension's data: comments, loop, control
constexpr size_t kMaxFindings = 10000;
constexpr size_t kXmpTrailerSize = 257;  // 0x01, 0xFF, 0xFE, …, 0x01, 0x00

constexpr uint8_t kImageSeparator = 0x2C;
constexpr uint8_t kExtensionIntroducer = 0x21;
constexpr uint8_t kTrailer = 0x3B;
constexpr uint8_t kPlainTextLabel = 0x01;
constexpr uint8_t kGraphicControlLabel = 0xF9;
constexpr uint8_t kCommentLabel = 0xFE;
constexpr uint8_t kApplicationLabel = 0xFF;

constexpr std::string_view kXmpApplication = "XMP DataXMP";
constexpr std::string_view kIccApplication = "ICCRGBG1012";
constexpr std::string_view kNetscapeApplication = "NETSCAPE2.0";
constexpr std::string_view kAnimextsApplication = "ANIMEXTS1.0";

std::string_view AsText(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

Status Truncated() {
  return Error(Code::kInvalidInput, "the file ends too early: it is truncated or damaged");
}

Status Damaged() {
  return Error(Code::kInvalidInput,
               "the GIF image is damaged: save it again from an image editor and retry");
}

// Sequential reads through a window, so that walking thousands of 255-byte sub-blocks costs
// one system call per 64 KiB rather than one per length byte.
class Reader {
 public:
  explicit Reader(const ByteSource& input) : input_(input) {}

  uint64_t pos() const { return pos_; }
  bool at_end() const { return pos_ >= input_.size(); }

  Status Byte(uint8_t& out) {
    if (pos_ < window_start_ || pos_ >= window_start_ + window_.size()) {
      REMPART_RETURN_IF_ERROR(Fill());
    }
    out = window_[pos_ - window_start_];
    ++pos_;
    return Status::Ok();
  }

  Status Skip(uint64_t n) {
    if (n > input_.size() - pos_) return Truncated();
    pos_ += n;
    return Status::Ok();
  }

  Status Read(std::span<uint8_t> out) {
    for (auto& b : out) REMPART_RETURN_IF_ERROR(Byte(b));
    return Status::Ok();
  }

  // Skips a sub-block chain up to and including its terminator, keeping up to kMaxCollected
  // bytes of its data in `collect` and the length of its first sub-block in `first_length`.
  Status SkipSubBlocks(std::string* collect = nullptr, uint8_t* first_length = nullptr) {
    for (bool first = true;; first = false) {
      uint8_t length = 0;
      REMPART_RETURN_IF_ERROR(Byte(length));
      if (first && first_length) *first_length = length;
      if (length == 0) return Status::Ok();
      if (collect && collect->size() < kMaxCollected) {
        std::array<uint8_t, 255> data{};
        REMPART_RETURN_IF_ERROR(Read(std::span(data).first(length)));
        collect->append(reinterpret_cast<const char*>(data.data()), length);
      } else {
        REMPART_RETURN_IF_ERROR(Skip(length));
      }
    }
  }

 private:
  Status Fill() {
    constexpr uint64_t kWindow = 64 * 1024;
    if (pos_ >= input_.size()) return Truncated();
    window_.resize(std::min(kWindow, input_.size() - pos_));
    window_start_ = pos_;
    return input_.ReadAt(pos_, window_);
  }

  const ByteSource& input_;
  uint64_t pos_ = 0;
  uint64_t window_start_ = 0;
  std::vector<uint8_t> window_;
};

// ---- Walking the blocks ----

enum class BlockKind { kImage, kExtension, kTrailer };

struct Block {
  BlockKind kind = BlockKind::kImage;
  uint64_t offset = 0;       // of the introducer byte
  uint64_t end = 0;          // past the sub-block terminator (or the trailer byte)
  uint8_t label = 0;         // extensions
  std::string application;   // application extensions: identifier and authentication code
  uint64_t data_offset = 0;  // application extensions: just after the identifier sub-block
  std::string collected;     // extensions: the start of their data (after the identifier)
  uint8_t first_length = 0;  // extensions: the length of the first data sub-block
};

struct Layout {
  int width = 0;
  int height = 0;
  uint64_t header_end = 0;  // after the global colour table
  uint64_t end = 0;         // after the trailer, or where the blocks stopped without one
  bool has_trailer = false;
};

using BlockVisitor = std::function<Status(const Block&)>;

uint64_t ColourTableSize(uint8_t packed) {
  return (packed & 0x80) ? 3 * (uint64_t{2} << (packed & 0x07)) : 0;
}

Result<Layout> ReadHeader(Reader& reader) {
  std::array<uint8_t, kHeaderSize> head{};
  if (!reader.Read(head).ok() || (AsText(std::span(head).first(6)) != "GIF87a" &&
                                  AsText(std::span(head).first(6)) != "GIF89a")) {
    return Error(Code::kInvalidInput, "this file is not a GIF image");
  }
  Layout layout;
  layout.width = head[6] | head[7] << 8;
  layout.height = head[8] | head[9] << 8;
  REMPART_RETURN_IF_ERROR(reader.Skip(ColourTableSize(head[10])));
  layout.header_end = reader.pos();
  return layout;
}

Status ReadImage(Reader& reader) {
  std::array<uint8_t, 9> descriptor{};  // left, top, width, height, packed fields
  REMPART_RETURN_IF_ERROR(reader.Read(descriptor));
  REMPART_RETURN_IF_ERROR(reader.Skip(ColourTableSize(descriptor[8])));
  uint8_t lzw_code_size = 0;
  REMPART_RETURN_IF_ERROR(reader.Byte(lzw_code_size));
  return reader.SkipSubBlocks();
}

Status ReadExtension(Reader& reader, Block& block) {
  REMPART_RETURN_IF_ERROR(reader.Byte(block.label));
  if (block.label == kApplicationLabel) {
    uint8_t length = 0;
    REMPART_RETURN_IF_ERROR(reader.Byte(length));
    if (length == 0) {  // that zero was the terminator: no identifier, no data
      block.data_offset = reader.pos() - 1;
      return Status::Ok();
    }
    block.application.resize(length);
    REMPART_RETURN_IF_ERROR(reader.Read(
        std::span(reinterpret_cast<uint8_t*>(block.application.data()), block.application.size())));
    block.data_offset = reader.pos();
  }
  return reader.SkipSubBlocks(&block.collected, &block.first_length);
}

// Calls `visit` for each block after the header. A file that stops cleanly between two blocks
// without its trailer is accepted (browsers show it, and many tools write it so).
Result<Layout> WalkBlocks(const ByteSource& input, const BlockVisitor& visit) {
  Reader reader(input);
  REMPART_ASSIGN_OR_RETURN(Layout layout, ReadHeader(reader));
  while (!reader.at_end()) {
    Block block;
    block.offset = reader.pos();
    uint8_t introducer = 0;
    REMPART_RETURN_IF_ERROR(reader.Byte(introducer));
    if (introducer == kImageSeparator) {
      block.kind = BlockKind::kImage;
      REMPART_RETURN_IF_ERROR(ReadImage(reader));
    } else if (introducer == kExtensionIntroducer) {
      block.kind = BlockKind::kExtension;
      REMPART_RETURN_IF_ERROR(ReadExtension(reader, block));
    } else if (introducer == kTrailer) {
      block.kind = BlockKind::kTrailer;
    } else {
      return Damaged();
    }
    block.end = reader.pos();
    REMPART_RETURN_IF_ERROR(visit(block));
    if (block.kind == BlockKind::kTrailer) {
      layout.has_trailer = true;
      break;
    }
  }
  layout.end = reader.pos();
  return layout;
}

// ---- What the scrubber keeps ----

// A kept block is copied when it is in its plain form, rewritten when extra sub-blocks follow
// the data a decoder reads (they could carry anything), dropped otherwise.
enum class Action { kDrop, kCopy, kWrite };

struct Decision {
  Action action = Action::kDrop;
  std::string bytes;  // for kWrite
};

bool IsAnimationLoop(const Block& block) {
  return block.application == kNetscapeApplication || block.application == kAnimextsApplication;
}

// Graphic control extensions (delay, transparency, disposal) are 4 bytes. They stay even when
// the block they announced (plain text) goes: decoders apply them to the next image.
Decision DecideGraphicControl(const Block& block) {
  if (block.first_length != 4) return {};
  if (block.collected.size() == 4) return {Action::kCopy, {}};
  return {Action::kWrite, "\x21\xF9\x04" + block.collected.substr(0, 4) + std::string(1, '\0')};
}

// The loop count: a 3-byte sub-block, 1 then a 16-bit count.
Decision DecideLoop(const Block& block) {
  if (block.first_length != 3 || block.collected[0] != 1) return {};
  if (block.collected.size() == 3) return {Action::kCopy, {}};
  return {Action::kWrite, "\x21\xFF\x0B" + block.application + "\x03" +
                              block.collected.substr(0, 3) + std::string(1, '\0')};
}

Decision Decide(const Block& block, const ScrubOptions& options) {
  if (block.kind != BlockKind::kExtension) return {Action::kCopy, {}};
  if (block.label == kGraphicControlLabel) return DecideGraphicControl(block);
  if (block.label != kApplicationLabel) return {};
  if (IsAnimationLoop(block)) return DecideLoop(block);
  if (block.application == kIccApplication && !options.strip_icc) return {Action::kCopy, {}};
  return {};
}

// ---- Inspection ----

// XMP is written raw, not as sub-blocks: its bytes double as length bytes, and a 257-byte
// "magic trailer" (0x01, 0xFF … 0x00) catches a reader that walks it as sub-blocks.
std::span<const uint8_t> StripXmpTrailer(std::span<const uint8_t> data) {
  if (data.size() < kXmpTrailerSize) return data;
  auto trailer = data.last(kXmpTrailerSize);
  if (trailer[0] != 0x01) return data;
  for (size_t i = 1; i < kXmpTrailerSize; ++i) {
    if (trailer[i] != static_cast<uint8_t>(256 - i)) return data;
  }
  return data.first(data.size() - kXmpTrailerSize);
}

void MergeFindings(PrivacyReport& from, PrivacyReport& into) {
  for (auto& finding : from.findings) into.findings.push_back(std::move(finding));
  if (!into.location) into.location = from.location;
}

class GifInspector {
 public:
  GifInspector(const ByteSource& input, PrivacyReport& report) : input_(input), report_(report) {}

  Status Visit(const Block& block) {
    if (block.kind != BlockKind::kExtension) return Status::Ok();
    if (report_.findings.size() >= kMaxFindings) return Status::Ok();
    if (block.label == kGraphicControlLabel) {
      if (DecideGraphicControl(block).action != Action::kCopy) AddOther("GraphicControl", block);
      return Status::Ok();
    }
    const std::string_view text = block.collected;
    switch (block.label) {
      case kCommentLabel:
        if (!text.empty())
          report_.Add(FindingKind::kText, "Comment", metadata::CleanText(text), "GIF");
        return Status::Ok();
      case kPlainTextLabel:  // a 12-byte text grid description, then the text
        if (text.size() > 12)
          report_.Add(FindingKind::kText, "PlainText", metadata::CleanText(text.substr(12)), "GIF");
        return Status::Ok();
      case kApplicationLabel:
        return ReadApplication(block);
      default:
        AddOther(fmt::format("Extension{:02X}", block.label), block);
        return Status::Ok();
    }
  }

 private:
  void AddOther(const std::string& field, const Block& block) {
    report_.Add(FindingKind::kOther, field, metadata::ByteCount(block.end - block.offset), "GIF");
  }

  Status ReadApplication(const Block& block) {
    if (IsAnimationLoop(block)) {
      // Anything besides the loop count is data someone hid there.
      if (DecideLoop(block).action != Action::kCopy) AddOther(block.application, block);
      return Status::Ok();
    }
    if (block.application == kIccApplication) {
      report_.has_icc_profile = true;
      return Status::Ok();
    }
    // The data runs from the identifier to the chain's terminator, exclusive.
    const uint64_t size = block.end - 1 - block.data_offset;
    if (block.application != kXmpApplication || size > kMaxMetadataBlock) {
      std::string field = metadata::CleanText(block.application);
      report_.Add(FindingKind::kOther, field.empty() ? "Application" : field,
                  metadata::ByteCount(size), "GIF");
      return Status::Ok();
    }
    REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> data,
                             input_.Read(block.data_offset, size, kMaxMetadataBlock));
    PrivacyReport scratch;
    ReadXmp(StripXmpTrailer(data), scratch);
    MergeFindings(scratch, report_);
    return Status::Ok();
  }

  const ByteSource& input_;
  PrivacyReport& report_;
};

}  // namespace

Result<PrivacyReport> InspectGif(const ByteSource& input) {
  PrivacyReport report;
  report.format = "gif";
  GifInspector inspector(input, report);
  REMPART_ASSIGN_OR_RETURN(Layout layout,
                           WalkBlocks(input, [&](const Block& b) { return inspector.Visit(b); }));
  report.width = layout.width;
  report.height = layout.height;
  if (layout.end < input.size()) {
    report.Add(FindingKind::kAppendedData, "AppendedData",
               metadata::ByteCount(input.size() - layout.end), "GIF");
  }
  return report;
}

Result<EditPlan> PlanGifScrub(const ByteSource& input, const ScrubOptions& options) {
  EditPlan body;
  bool has_image = false;
  REMPART_ASSIGN_OR_RETURN(Layout layout, WalkBlocks(input, [&](const Block& block) {
                             has_image |= block.kind == BlockKind::kImage;
                             Decision decision = Decide(block, options);
                             if (decision.action == Action::kCopy) {
                               body.Copy(block.offset, block.end - block.offset);
                             } else if (decision.action == Action::kWrite) {
                               body.Insert(std::move(decision.bytes));
                             }
                             return Status::Ok();
                           }));
  if (!has_image) {
    return Damaged();
  }
  EditPlan plan;
  plan.Copy(0, layout.header_end);
  for (const auto& piece : body.pieces()) {
    if (piece.literal.empty()) {
      plan.Copy(piece.offset, piece.length);
    } else {
      plan.Insert(piece.literal);
    }
  }
  if (!layout.has_trailer) plan.Insert(std::string(1, static_cast<char>(kTrailer)));
  return plan;
}

}  // namespace rempart
