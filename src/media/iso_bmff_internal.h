// How the ISO BMFF entry points (iso_bmff_file.cc) share work with the HEIF item code and the
// scrub writer. Internal to src/media.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "media/byte_source.h"
#include "media/edit_plan.h"
#include "media/heif_meta.h"
#include "media/iso_bmff_boxes.h"
#include "media/media_format.h"
#include "media/privacy_report.h"

namespace rempart::bmff {

// Bytes [offset, offset + length) of the file.
struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t end() const { return offset + length; }
  bool Overlaps(const ByteRange& other) const {
    return offset < other.end() && other.offset < end();
  }
};

// Sorted by offset, with touching or overlapping ranges joined.
std::vector<ByteRange> Merged(std::vector<ByteRange> ranges);

// Zeros written instead of metadata may not exceed this: they are held in memory as literal
// plan pieces, and no genuine file has more metadata than this.
inline constexpr uint64_t kMaxZeroBytes = 64 * 1024 * 1024;
// A HEIF 'meta' box (the item tables, not the pictures) larger than this is refused.
inline constexpr uint64_t kMaxMetaBox = 64 * 1024 * 1024;

// kInvalidInput unless the file's first bytes say HEIF, AVIF, MP4 or MOV.
Result<MediaFormat> CheckFormat(const ByteSource& source);
Status NotIsoMedia();

// The file's top-level boxes, and what follows the last of them when that is not a box
// (a vendor trailer, a motion-photo video, or garbage). kInvalidInput when the file is not an
// ISO media file or a box claims more bytes than the file has.
struct TopLevel {
  std::vector<Box> boxes;
  ByteRange appended;  // length 0 when the file ends with its last box
};
Result<TopLevel> WalkTopLevel(const ByteSource& source, BoxBudget& budget);

// The handler of a top-level 'meta' box ('pict' for HEIF), 0 when unreadable.
uint32_t TopLevelMetaHandler(const ByteSource& source, const Box& meta);

// What a HEIF/AVIF 'meta' box with handler 'pict' reveals: Exif and XMP items, thumbnails,
// descriptive properties; also the size, orientation and colour profile of the primary image.
Status InspectHeifMeta(const ByteSource& source, const Box& meta, PrivacyReport& report);

// The cleaned 'meta': the same box without its Exif, XMP and thumbnail items (and their
// references and property associations), followed by padding, `bytes` exactly as long as the
// original box so that every offset after it stays valid. `zero` lists the file ranges where
// the removed items' data lies; the caller writes zeros there.
struct HeifMetaScrub {
  std::string bytes;
  std::vector<ByteRange> zero;
};
Result<HeifMetaScrub> ScrubHeifMeta(const ByteSource& source, const Box& meta,
                                    const ScrubOptions& options);

// Reads a whole box into memory (its header included), refusing boxes over `limit`.
Result<std::vector<uint8_t>> ReadWholeBox(const ByteSource& source, const Box& box, uint64_t limit);

}  // namespace rempart::bmff
