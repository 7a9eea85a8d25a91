// PrivacyReport: what a photo or video reveals about the person who made it, as found by the
// container parsers. The cores stay language-free: `field` is a stable English name (the one
// exiftool prints, so users can cross-check), `value` is the text found, and the CLI and the
// web page turn each Finding into a sentence in the user's language.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rempart {

enum class FindingKind {
  kLocation,      // GPS coordinates, place names (City, Country, Sub-location)
  kDevice,        // camera or phone make, model, lens
  kSerialNumber,  // body, lens or image serial numbers, unique image IDs
  kPerson,        // artist, author, creator, copyright, owner name
  kSoftware,      // software, firmware, editing history
  kDate,          // capture, creation, modification, digitisation dates and GPS time
  kPreview,       // an embedded thumbnail or preview image (may show the uncropped original)
  kAppendedData,  // bytes after the end of the image (motion-photo video, vendor trailer)
  kText,          // captions, comments, keywords, descriptions, user comments
  kOther,         // any other metadata block (maker notes, XMP/IPTC blocks, unknown chunks)
};

struct Finding {
  FindingKind kind = FindingKind::kOther;
  std::string field;  // "GPSPosition", "Make", "SerialNumber", "DateTimeOriginal", "MakerNotes", …
  std::string value;  // "Canon", "2024:05:01 21:10:00", "12345 bytes", …
  std::string
      where;  // the block it was found in: "EXIF", "XMP", "IPTC", "PNG text", "QuickTime", …
};

struct GeoPoint {
  double latitude = 0;   // degrees, north positive
  double longitude = 0;  // degrees, east positive
  std::optional<double> altitude_m;
  double precision_m = 0;  // how finely the coordinates are written (0.3 m for 1/100 arc-second)
};

struct PrivacyReport {
  std::string format;  // "jpeg", "png", "webp", "gif", "tiff", "heif", "avif", "mp4", "mov"
  int width = 0;       // 0 when the container does not say
  int height = 0;
  int orientation = 1;           // EXIF orientation 1..8 (1 = upright); kept by the scrubber
  bool has_icc_profile = false;  // kept by the scrubber unless asked otherwise
  std::optional<GeoPoint> location;
  std::vector<Finding> findings;
  std::optional<int> faces;  // set by callers that ran face detection

  void Add(FindingKind kind, std::string field, std::string value, std::string where) {
    findings.push_back({kind, std::move(field), std::move(value), std::move(where)});
  }
  // Nothing that identifies a person, place, device or time (orientation and ICC do not count).
  bool IsClean() const { return findings.empty() && !location && faces.value_or(0) == 0; }
};

struct ScrubOptions {
  bool strip_icc = false;  // also drop the colour profile (it identifies nobody; kept by default)
};

}  // namespace rempart
