// InspectMedia and PlanScrub: pick the parser from the file's first bytes.
#include <array>

#include "media/media_format.h"

namespace rempart {

namespace {

Result<MediaFormat> Sniff(const ByteSource& input) {
  std::array<uint8_t, 64> head{};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(input.size(), head.size()));
  REMPART_RETURN_IF_ERROR(input.ReadAt(0, std::span<uint8_t>(head.data(), n)));
  return SniffMediaFormat(std::span<const uint8_t>(head.data(), n));
}

Status Unsupported(MediaFormat format) {
  switch (format) {
    case MediaFormat::kRawCamera:
      return Error(Code::kInvalidInput,
                   "raw camera files are full of maker data that cannot be removed safely; "
                   "export a JPEG or PNG from your photo app and clean that");
    case MediaFormat::kPsd:
      return Error(Code::kInvalidInput,
                   "Photoshop files keep layers, history and names that cannot be removed "
                   "safely; export a flattened PNG or JPEG and clean that");
    case MediaFormat::kOtherKnown:
      return Error(Code::kInvalidInput,
                   "this format cannot be cleaned yet; convert it to JPEG, PNG, WebP or MP4 "
                   "first");
    default:
      return Error(Code::kInvalidInput,
                   "not a photo or video format Rempart knows (JPEG, PNG, WebP, GIF, TIFF, "
                   "HEIC, AVIF, MP4, MOV)");
  }
}

}  // namespace

Result<PrivacyReport> InspectMedia(const ByteSource& input) {
  REMPART_ASSIGN_OR_RETURN(MediaFormat format, Sniff(input));
  Result<PrivacyReport> report = Unsupported(format);
  switch (format) {
    case MediaFormat::kJpeg:
      report = InspectJpeg(input);
      break;
    case MediaFormat::kPng:
      report = InspectPng(input);
      break;
    case MediaFormat::kWebp:
      report = InspectWebp(input);
      break;
    case MediaFormat::kGif:
      report = InspectGif(input);
      break;
    case MediaFormat::kTiff:
      report = InspectTiff(input);
      break;
    case MediaFormat::kHeif:
    case MediaFormat::kAvif:
    case MediaFormat::kMp4:
    case MediaFormat::kMov:
      report = InspectIsoBmff(input);
      break;
    default:
      break;
  }
  if (report.ok()) report->format = std::string(MediaFormatName(format));
  return report;
}

Result<EditPlan> PlanScrub(const ByteSource& input, const ScrubOptions& options) {
  REMPART_ASSIGN_OR_RETURN(MediaFormat format, Sniff(input));
  switch (format) {
    case MediaFormat::kJpeg:
      return PlanJpegScrub(input, options);
    case MediaFormat::kPng:
      return PlanPngScrub(input, options);
    case MediaFormat::kWebp:
      return PlanWebpScrub(input, options);
    case MediaFormat::kGif:
      return PlanGifScrub(input, options);
    case MediaFormat::kTiff:
      return PlanTiffScrub(input, options);
    case MediaFormat::kHeif:
    case MediaFormat::kAvif:
    case MediaFormat::kMp4:
    case MediaFormat::kMov:
      return PlanIsoBmffScrub(input, options);
    default:
      return Unsupported(format);
  }
}

}  // namespace rempart
