// Pieces of the metadata readers that the JPEG and TIFF container parsers share beyond the
// public ReadExif/ReadXmp/ReadIptc (metadata_blocks.h). Internal to src/media.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "media/privacy_report.h"
#include "media/tiff_ifd.h"

namespace rempart::metadata {

// How to read a TIFF structure: an EXIF block inside another container, where IFD1 is the
// thumbnail, or a TIFF file, where later IFDs are pages or reduced-resolution previews and
// IFD0's image-structure tags are not metadata.
enum class TiffRole { kExifBlock, kTiffFile };

struct TiffWalkResult {
  bool damaged = false;          // some IFD or value could not be read; findings may be partial
  bool only_orientation = true;  // no tag other than Orientation anywhere (the scrubber's EXIF)
  int other_tags = 0;            // tags that are neither findings nor image structure
};

// Walks IFD0's chain and every sub-IFD (EXIF, GPS, Interop, SubIFDs, maker notes) and adds
// findings named `where`. Bounded in IFDs and entries; never fails.
TiffWalkResult WalkTiff(const tiff::TiffReader& reader, PrivacyReport& report,
                        std::string_view where, TiffRole role);

// Photoshop image resources ("8BIM" blocks, as in JPEG APP13 and TIFF tag 34377): IPTC, EXIF,
// XMP, thumbnails inside are read; the block itself is reported as kOther "Photoshop".
void ReadPhotoshopResources(std::span<const uint8_t> resources, PrivacyReport& report);

// Tags a TIFF file needs to decode and display its image; the scrubber keeps only these (the
// ICC profile, 34675, is listed too and dropped separately when asked).
bool IsImageStructureTag(uint16_t tag);

// Text found in a file, made safe to show: invalid UTF-8 read as Latin-1, control and
// bidirectional-override characters replaced, NUL-separated parts joined with ", ",
// whitespace collapsed, at most `max_chars` characters.
std::string CleanText(std::string_view raw, size_t max_chars = 200);

// "1234 bytes"
std::string ByteCount(uint64_t n);

// A number with at most six decimals and no trailing zeros: "35", "2.5".
std::string FormatNumber(double v);

// Appends the UTF-8 encoding of a code point.
void AppendUtf8(std::string& out, uint32_t code_point);

// UCS-2/UTF-16 bytes (EXIF XP* tags, UNICODE user comments) to UTF-8.
std::string Utf16ToUtf8(std::span<const uint8_t> bytes, bool big_endian);

inline std::string_view AsText(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace rempart::metadata
