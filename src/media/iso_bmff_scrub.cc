// Cleaning ISO base media files without moving a byte of media. MP4 and MOV sample tables
// (stco/co64) and HEIF item locations (iloc) hold absolute file offsets, so nothing may change
// size: a removed box becomes a 'free' box of the same size full of zeros, dates are zeroed in
// place, and the HEIF 'meta' box is rewritten shorter and padded back to its old size. Boxes
// removed at the very end of the file, and any trailer, are simply dropped.
#include <algorithm>
#include <limits>

#include "media/iso_bmff_internal.h"
#include "media/media_format.h"

namespace rempart {
namespace bmff {
namespace {

// Builds the plan, writing zeros wherever `zero` says while copying input bytes.
class PlanWriter {
 public:
  // `zero` sorted by offset, without overlaps.
  explicit PlanWriter(std::vector<ByteRange> zero) : zero_(std::move(zero)) {}

  Status Copy(uint64_t offset, uint64_t length) {
    const uint64_t end = offset + length;
    auto first = std::upper_bound(zero_.begin(), zero_.end(), offset,
                                  [](uint64_t at, const ByteRange& z) { return at < z.end(); });
    for (auto it = first; it != zero_.end() && it->offset < end; ++it) {
      const ByteRange& z = *it;
      if (z.offset > offset) plan_.Copy(offset, z.offset - offset);
      uint64_t stop = std::min(end, z.end());
      REMPART_RETURN_IF_ERROR(Zeros(stop - std::max(offset, z.offset)));
      offset = stop;
    }
    if (end > offset) plan_.Copy(offset, end - offset);
    return Status::Ok();
  }
  Status CopyBox(const Box& box) { return Copy(box.offset, box.size); }

  Status Zeros(uint64_t n) {
    if (n > kMaxZeroBytes - zeros_) return CannotCleanSafely();
    zeros_ += n;
    plan_.Insert(std::string(n, '\0'));
    return Status::Ok();
  }

  // The box becomes 'free', of the same size, with nothing but zeros inside.
  Status Free(const Box& box) {
    std::string header = BoxHeader(FourCC("free"), box.size - 8);
    if (header.size() > box.size) return Damaged();
    if (box.size - header.size() > kMaxZeroBytes - zeros_) return CannotCleanSafely();
    plan_.Insert(header);
    return Zeros(box.size - header.size());
  }

  void Insert(std::string bytes) { plan_.Insert(std::move(bytes)); }
  EditPlan Take() { return std::move(plan_); }

 private:
  std::vector<ByteRange> zero_;
  EditPlan plan_;
  uint64_t zeros_ = 0;
};

// mvhd, tkhd and mdhd begin with version/flags and then the creation and modification
// times, 32-bit each in version 0 and 64-bit in version 1.
Status ZeroDates(const ByteSource& source, const Box& box, PlanWriter& out) {
  uint8_t version = 0;
  if (box.payload_size() < 4) return Damaged();
  REMPART_RETURN_IF_ERROR(source.ReadAt(box.payload_offset(), {&version, 1}));
  const uint64_t width = version == 1 ? 16 : 8;
  if (box.payload_size() < 4 + width) return Damaged();
  REMPART_RETURN_IF_ERROR(out.Copy(box.offset, box.header_size + 4));
  REMPART_RETURN_IF_ERROR(out.Zeros(width));
  const uint64_t rest = box.payload_offset() + 4 + width;
  return out.Copy(rest, box.end() - rest);
}

bool IsRemovedInMovie(uint32_t type) {
  for (uint32_t t : {FourCC("udta"), FourCC("meta"), FourCC("uuid"), FourCC("free"), FourCC("skip"),
                     FourCC("XMP_")})
    if (t == type) return true;
  return false;
}

// A container inside 'moov' (moov itself, trak, mdia, minf), rewritten child by child.
Status ScrubMovie(const ByteSource& source, const Box& box, int depth, BoxBudget& budget,
                  PlanWriter& out) {
  REMPART_RETURN_IF_ERROR(out.Copy(box.offset, box.header_size));
  uint64_t done = box.payload_offset();
  REMPART_RETURN_IF_ERROR(
      ForEachBox(source, box.payload_offset(), box.end(), depth + 1, budget, [&](const Box& c) {
        done = c.end();
        switch (c.type) {
          case FourCC("trak"):
          case FourCC("mdia"):
          case FourCC("minf"):
            return ScrubMovie(source, c, depth + 1, budget, out);
          case FourCC("mvhd"):
          case FourCC("tkhd"):
          case FourCC("mdhd"):
            return ZeroDates(source, c, out);
          default:
            return IsRemovedInMovie(c.type) ? out.Free(c) : out.CopyBox(c);
        }
      }));
  return out.Copy(done, box.end() - done);  // a QuickTime list's 32-bit terminator
}

enum class Action { kCopy, kMovie, kHeifMeta, kFree };

Action ActionFor(const ByteSource& source, const Box& box) {
  switch (box.type) {
    case FourCC("ftyp"):
    case FourCC("styp"):
    case FourCC("mdat"):
    case FourCC("moof"):
    case FourCC("mfra"):
    case FourCC("sidx"):
    case FourCC("ssix"):
    case FourCC("prft"):
    case FourCC("emsg"):
    case FourCC("pdin"):
      return Action::kCopy;
    case FourCC("moov"):
      return Action::kMovie;
    case FourCC("meta"):
      return TopLevelMetaHandler(source, box) == FourCC("pict") ? Action::kHeifMeta : Action::kFree;
    default:  // free, skip, udta, uuid, vendor boxes, motion-photo videos
      return Action::kFree;
  }
}

// Zeroing is only safe inside media data, or inside what is removed anyway: never in a box we
// rewrite (its new bytes would not be zeroed) or in 'ftyp'.
Status CheckZeroRanges(const TopLevel& top, const std::vector<Action>& actions,
                       const std::vector<ByteRange>& zero) {
  for (const ByteRange& z : zero) {
    if (z.offset >= top.appended.offset) continue;
    // The top-level box that holds z's first byte (boxes are in file order).
    auto it = std::upper_bound(top.boxes.begin(), top.boxes.end(), z.offset,
                               [](uint64_t at, const Box& b) { return at < b.end(); });
    if (it == top.boxes.end()) return CannotCleanSafely();
    const size_t i = static_cast<size_t>(it - top.boxes.begin());
    bool zeroable = it->type == FourCC("mdat") || actions[i] == Action::kFree;
    if (!zeroable || z.offset < it->payload_offset() || z.end() > it->end())
      return CannotCleanSafely();
  }
  return Status::Ok();
}

Result<EditPlan> Plan(const ByteSource& source, const ScrubOptions& options) {
  BoxBudget budget;
  REMPART_ASSIGN_OR_RETURN(TopLevel top, WalkTopLevel(source, budget));
  std::vector<Action> actions;
  std::vector<std::string> metas(top.boxes.size());
  std::vector<ByteRange> zero;
  for (size_t i = 0; i < top.boxes.size(); ++i) {
    actions.push_back(ActionFor(source, top.boxes[i]));
    if (actions[i] != Action::kHeifMeta) continue;
    REMPART_ASSIGN_OR_RETURN(HeifMetaScrub heif, ScrubHeifMeta(source, top.boxes[i], options));
    metas[i] = std::move(heif.bytes);
    zero.insert(zero.end(), heif.zero.begin(), heif.zero.end());
  }
  zero = Merged(std::move(zero));
  REMPART_RETURN_IF_ERROR(CheckZeroRanges(top, actions, zero));
  // Removed boxes after the last kept one are dropped: nothing after them can move.
  size_t keep = 0;
  for (size_t i = 0; i < top.boxes.size(); ++i)
    if (actions[i] != Action::kFree) keep = i + 1;
  if (keep == 0) return NotIsoMedia();  // nothing but metadata: no picture, no movie
  PlanWriter out(std::move(zero));
  for (size_t i = 0; i < keep; ++i) {
    const Box& box = top.boxes[i];
    switch (actions[i]) {
      case Action::kCopy:
        REMPART_RETURN_IF_ERROR(out.CopyBox(box));
        break;
      case Action::kMovie:
        REMPART_RETURN_IF_ERROR(ScrubMovie(source, box, 0, budget, out));
        break;
      case Action::kHeifMeta:
        out.Insert(std::move(metas[i]));
        break;
      case Action::kFree:
        REMPART_RETURN_IF_ERROR(out.Free(box));
        break;
    }
  }
  return out.Take();
}

}  // namespace
}  // namespace bmff

Result<EditPlan> PlanIsoBmffScrub(const ByteSource& input, const ScrubOptions& options) {
  REMPART_RETURN_IF_ERROR(bmff::CheckFormat(input).status());
  return bmff::Plan(input, options);
}

}  // namespace rempart
