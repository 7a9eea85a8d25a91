#include "server/media_actions.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

#include "media/byte_source.h"
#include "media/edit_plan.h"
#include "media/face_detect.h"
#include "media/image_decode.h"
#include "media/image_encode.h"

namespace rempart::server {
namespace {

constexpr int kPreviewQuality = 80;

// Decoded pixels are the photo itself: wipe them when done, not only free them.
class WipedImage {
 public:
  explicit WipedImage(Image image) : image_(std::move(image)) {}
  ~WipedImage() { Wipe(); }
  WipedImage(const WipedImage&) = delete;
  WipedImage& operator=(const WipedImage&) = delete;
  Image& operator*() { return image_; }
  Image* operator->() { return &image_; }
  void Wipe() {
    if (!image_.pixels.empty()) sodium_memzero(image_.pixels.data(), image_.pixels.size());
  }

 private:
  Image image_;
};

bool IsVideo(MediaFormat format) {
  return format == MediaFormat::kMp4 || format == MediaFormat::kMov;
}

bool TooManyPixels(const PrivacyReport& report) {
  return int64_t{report.width} * report.height > kMaxWebPixels;
}

// Refuses, before decoding, a photo whose container says it is larger than this page handles.
Status CheckPixels(std::span<const uint8_t> bytes) {
  MemorySource source(bytes);
  Result<PrivacyReport> report = InspectMedia(source);
  if (report.ok() && TooManyPixels(*report)) {
    return Error(Code::kInvalidInput,
                 "this photo is too large to change here ({} by {} pixels); use rempart redact "
                 "on your computer",
                 report->width, report->height);
  }
  return Status::Ok();
}

// The photo upright at full size, and the faces in it when asked.
struct Decoded {
  WipedImage image;
  std::vector<Box> faces;
};

Result<std::unique_ptr<Decoded>> DecodeAndDetect(std::span<const uint8_t> bytes, bool faces) {
  if (IsVideo(SniffMediaFormat(bytes))) {
    return Error(Code::kInvalidInput, "redact works on photos; for a video, take a still first");
  }
  REMPART_RETURN_IF_ERROR(CheckPixels(bytes));
  REMPART_ASSIGN_OR_RETURN(Image image, DecodeImage(bytes));
  std::unique_ptr<Decoded> decoded(new Decoded{WipedImage(std::move(image)), {}});
  if (faces) {
    FaceDetector detector;
    REMPART_ASSIGN_OR_RETURN(decoded->faces, detector.Detect(*decoded->image));
  }
  return decoded;
}

Result<std::vector<Box>> AllBoxes(const Decoded& decoded, const Image& image,
                                  const std::vector<RegionSpec>& regions) {
  std::vector<Box> boxes = decoded.faces;
  for (const RegionSpec& spec : regions) {
    REMPART_ASSIGN_OR_RETURN(Box box, ResolveRegion(spec, image.width, image.height));
    boxes.push_back(box);
  }
  return boxes;
}

// `box` in an image scaled by `scale`, never smaller than a pixel so that it stays drawn.
Box Scaled(const Box& box, double scale) {
  auto at = [&](int v) { return static_cast<int>(std::floor(v * scale)); };
  auto size = [&](int v) { return std::max(1, static_cast<int>(std::lround(v * scale))); };
  return {at(box.x), at(box.y), size(box.width), size(box.height)};
}

struct FormatInfo {
  MediaFormat format;
  std::string_view mime;
  std::array<std::string_view, 3> extensions;  // the first is the usual one
};

constexpr std::array<FormatInfo, 9> kFormats = {{
    {MediaFormat::kJpeg, "image/jpeg", {"jpg", "jpeg", "jpe"}},
    {MediaFormat::kPng, "image/png", {"png", "", ""}},
    {MediaFormat::kWebp, "image/webp", {"webp", "", ""}},
    {MediaFormat::kGif, "image/gif", {"gif", "", ""}},
    {MediaFormat::kTiff, "image/tiff", {"tif", "tiff", ""}},
    {MediaFormat::kHeif, "image/heic", {"heic", "heif", "hif"}},
    {MediaFormat::kAvif, "image/avif", {"avif", "", ""}},
    {MediaFormat::kMp4, "video/mp4", {"mp4", "m4v", ""}},
    {MediaFormat::kMov, "video/quicktime", {"mov", "qt", ""}},
}};

const FormatInfo* InfoOf(MediaFormat format) {
  for (const FormatInfo& info : kFormats) {
    if (info.format == format) return &info;
  }
  return nullptr;
}

}  // namespace

Result<CheckResult> CheckMedia(std::span<const uint8_t> bytes) {
  MemorySource source(bytes);
  CheckResult result;
  REMPART_ASSIGN_OR_RETURN(result.report, InspectMedia(source));
  // As `rempart inspect` does (src/cli/media_faces.cc): videos are not searched, and a photo
  // that cannot be decoded gets no count rather than an error, since its report still helps.
  if (IsVideo(SniffMediaFormat(bytes))) {
    result.face_search = CheckResult::FaceSearch::kVideo;
    return result;
  }
  if (TooManyPixels(result.report)) return result;
  // Detection works on a copy of at most kFaceWorkingSize pixels: decode about that much.
  Result<Image> decoded = DecodeImage(bytes, 2 * kFaceWorkingSize);
  if (!decoded.ok()) return result;
  WipedImage image(std::move(decoded).value());
  FaceDetector detector;
  REMPART_ASSIGN_OR_RETURN(std::vector<Box> faces, detector.Detect(*image));
  result.face_search = CheckResult::FaceSearch::kDone;
  result.faces = static_cast<int>(faces.size());
  return result;
}

Result<CleanResult> CleanMedia(std::span<const uint8_t> bytes) {
  MemorySource source(bytes);
  CleanResult result;
  result.format = SniffMediaFormat(bytes);
  REMPART_ASSIGN_OR_RETURN(result.before, InspectMedia(source));
  REMPART_ASSIGN_OR_RETURN(EditPlan plan, PlanScrub(source, ScrubOptions{}));
  result.already_clean = plan.IsIdentity(source.size());
  REMPART_ASSIGN_OR_RETURN(result.bytes, ApplyPlanToString(source, plan));
  // The cleaned copy must itself inspect clean: a parser gap shows up as an error, not a leak.
  MemorySource cleaned(std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(result.bytes.data()), result.bytes.size()));
  Result<PrivacyReport> after = InspectMedia(cleaned);
  if (!after.ok() || !after->IsClean()) {
    sodium_memzero(result.bytes.data(), result.bytes.size());
    // Unreadable after cleaning: the upload was damaged where the scrubber did not look.
    if (!after.ok()) return after.status();
    return Error(Code::kFailed,
                 "could not remove everything ({} remains), so nothing was sent; please report "
                 "this file type to the Rempart developers",
                 after->findings.empty() ? "GPSPosition" : after->findings.front().field);
  }
  return result;
}

Result<std::vector<RegionSpec>> ParseRegionList(std::string_view text) {
  std::vector<RegionSpec> regions;
  while (!text.empty()) {
    size_t end = text.find_first_of(";\r\n");
    std::string_view item = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (item.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (regions.size() >= kMaxRegions) {
      return Error(Code::kUsage, "at most {} areas can be hidden at once", kMaxRegions);
    }
    REMPART_ASSIGN_OR_RETURN(RegionSpec spec, ParseRegionSpec(item));
    regions.push_back(spec);
  }
  return regions;
}

Result<RedactResult> RedactPhoto(std::span<const uint8_t> bytes, const RedactChoices& choices) {
  REMPART_ASSIGN_OR_RETURN(std::unique_ptr<Decoded> decoded, DecodeAndDetect(bytes, choices.faces));
  Image& image = *decoded->image;
  REMPART_ASSIGN_OR_RETURN(std::vector<Box> boxes, AllBoxes(*decoded, image, choices.regions));
  if (boxes.empty()) {
    return Error(Code::kNotFound,
                 "no face was found, so nothing was hidden; use Preview faces to check, and "
                 "name the areas to hide");
  }
  uint64_t seed = 0;
  randombytes_buf(&seed, sizeof seed);
  Redact(image, boxes, choices.style, seed);
  RedactResult result;
  result.faces = decoded->faces.size();
  result.boxes = boxes.size();
  result.format = ReencodeFormatFor(SniffMediaFormat(bytes), image);
  REMPART_ASSIGN_OR_RETURN(result.bytes, EncodeImage(image, result.format));
  decoded->image.Wipe();
  // Re-encoding writes no metadata; checking it keeps that promise if the encoder changes.
  MemorySource written(result.bytes);
  Result<PrivacyReport> after = InspectMedia(written);
  if (!after.ok() || !after->IsClean()) {
    sodium_memzero(result.bytes.data(), result.bytes.size());
    return Error(Code::kFailed, "the redacted photo still carries metadata");
  }
  return result;
}

Result<PreviewResult> PreviewFaces(std::span<const uint8_t> bytes,
                                   const std::vector<RegionSpec>& regions) {
  REMPART_ASSIGN_OR_RETURN(std::unique_ptr<Decoded> decoded, DecodeAndDetect(bytes, true));
  const Image& image = *decoded->image;
  PreviewResult result;
  result.faces = decoded->faces.size();
  REMPART_ASSIGN_OR_RETURN(result.boxes, AllBoxes(*decoded, image, regions));
  for (int side = kPreviewMaxSide; side >= kPreviewMaxSide / 4; side /= 2) {
    WipedImage small(Downscale(image, side));
    const double scale = static_cast<double>(small->width) / image.width;
    std::vector<Box> scaled;
    for (const Box& box : result.boxes) scaled.push_back(Scaled(box, scale));
    WipedImage drawn(DrawPreview(*small, scaled));
    REMPART_ASSIGN_OR_RETURN(result.jpeg,
                             EncodeImage(*drawn, MediaFormat::kJpeg, {.quality = kPreviewQuality}));
    result.width = drawn->width;
    result.height = drawn->height;
    if (result.jpeg.size() <= kMaxPreviewBytes) return result;
    sodium_memzero(result.jpeg.data(), result.jpeg.size());
  }
  return Error(Code::kFailed, "the preview is too large to show");
}

std::string_view MimeTypeFor(MediaFormat format) {
  const FormatInfo* info = InfoOf(format);
  return info ? info->mime : "application/octet-stream";
}

std::string ExtensionFor(MediaFormat format, std::string_view uploaded_extension) {
  const FormatInfo* info = InfoOf(format);
  if (!info) return "bin";
  for (std::string_view extension : info->extensions) {
    if (!extension.empty() && extension == uploaded_extension) return std::string(extension);
  }
  return std::string(info->extensions.front());
}

}  // namespace rempart::server
