// MediaActions: what the media page does with one uploaded photo or video, over bytes in
// memory, with no I/O and no state: the same steps as `rempart inspect`, `scrub` and `redact`
// (src/cli/), so the page and the command line give the same answers.
//
// Memory is what bounds a web upload: decoding a photo costs 4 bytes a pixel, so photos over
// kMaxWebPixels are refused before decoding when their header says how large they are (the
// decoder's own 100-megapixel cap applies otherwise), and the command line is suggested.
// Decoded pixels are wiped when an action ends; so are the encoded results by the HTTP layer
// once sent.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "media/box.h"
#include "media/media_format.h"
#include "media/privacy_report.h"
#include "media/redact.h"
#include "media/region_spec.h"

namespace rempart::server {

inline constexpr int64_t kMaxWebPixels = 50'000'000;
// The preview is shown inside the page as a data: URL: small, and JPEG rather than PNG, since
// a photo as PNG would weigh megabytes in the HTML for no gain in what a person can check.
inline constexpr int kPreviewMaxSide = 1280;
inline constexpr size_t kMaxPreviewBytes = 2u << 20;
inline constexpr size_t kMaxRegions = 20;

// "Check": the privacy report, and how many faces a photo shows.
struct CheckResult {
  // `faces` stays unset here: DescribeReport's face line points to the command line, and the
  // page says it in its own words (face_search below).
  PrivacyReport report;
  enum class FaceSearch { kDone, kVideo, kNotPossible } face_search = FaceSearch::kNotPossible;
  int faces = 0;
};
Result<CheckResult> CheckMedia(std::span<const uint8_t> bytes);

// "Clean": the scrubbed copy, checked clean by inspecting it again (kFailed if it is not).
struct CleanResult {
  std::string bytes;
  MediaFormat format = MediaFormat::kUnknown;
  PrivacyReport before;
  bool already_clean = false;  // nothing was found; `bytes` is the upload unchanged
};
Result<CleanResult> CleanMedia(std::span<const uint8_t> bytes);

// Areas typed into the page: "x,y,w,h" items (pixels or %) separated by ';' or new lines.
// kUsage with the region_spec.h message for the first bad item; at most kMaxRegions.
Result<std::vector<RegionSpec>> ParseRegionList(std::string_view text);

struct RedactChoices {
  bool faces = true;
  std::vector<RegionSpec> regions;
  RedactStyle style = RedactStyle::kPixelate;
};

// "Hide faces": the photo with each face and region destroyed, re-encoded without metadata
// (and inspected again to prove it). kNotFound when there was nothing to hide.
struct RedactResult {
  std::vector<uint8_t> bytes;
  MediaFormat format = MediaFormat::kUnknown;  // may differ from the upload's (HEIC -> JPEG)
  size_t faces = 0;
  size_t boxes = 0;  // faces and regions
};
Result<RedactResult> RedactPhoto(std::span<const uint8_t> bytes, const RedactChoices& choices);

// "Preview faces": a JPEG of at most kPreviewMaxSide pixels a side with a numbered frame
// around each face found and each region, for a person to check before hiding them.
struct PreviewResult {
  std::vector<uint8_t> jpeg;
  int width = 0;  // of the preview
  int height = 0;
  size_t faces = 0;
  std::vector<Box> boxes;  // in the photo's own pixels, faces first, then the regions
};
Result<PreviewResult> PreviewFaces(std::span<const uint8_t> bytes,
                                   const std::vector<RegionSpec>& regions);

// The MIME type of a format, for downloads ("image/jpeg"); application/octet-stream if unknown.
std::string_view MimeTypeFor(MediaFormat format);
// The extension for a download of this format: the upload's own when it is one of the
// format's usual ones ("jpeg", "JPG"), else the format's first ("jpg"), lower-cased.
std::string ExtensionFor(MediaFormat format, std::string_view uploaded_extension);

}  // namespace rempart::server
